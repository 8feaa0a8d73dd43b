using Orbyt.Core.Credentials;
using Orbyt.Core.Hosting;
using Orbyt.TokenRefresher.Checks;
using Orbyt.TokenRefresher.Scheduling;

namespace Orbyt.TokenRefresher;

public static class Extensions
{
    public static WebApplicationBuilder AddTokenRefresher(this WebApplicationBuilder builder)
    {
        builder.AddBasicServiceDefaults();
        builder.AddOrbytWorkerCore();
        builder.Services.AddTokenRefreshScheduler();
        builder.Services.AddHostedService<RefreshWorker>();
        return builder;
    }

    /// <summary>
    /// Everything <see cref="CredentialExtensions.AddConnectionTokens"/> registers, plus this replica's scheduler and
    /// checks; without the host, so tests and the benchmark run passes of their own.
    /// </summary>
    public static IServiceCollection AddTokenRefreshScheduler(this IServiceCollection services)
    {
        services.AddConnectionTokens();
        services.AddSingleton<ScheduledRefreshTelemetry>();
        services.AddScoped<GoogleCredentialCheck>();
        services.AddScoped<MetaCredentialCheck>();
        services.AddScoped<InstagramCredentialCheck>();
        services.AddScoped<ExpiringNotifier>();
        services.AddScoped<CredentialCheck>();
        services.AddSingleton<RefreshScheduler>();
        return services;
    }
}
