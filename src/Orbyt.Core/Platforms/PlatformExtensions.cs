using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Core.Platforms;

public static class PlatformExtensions
{
    /// <summary>
    /// Typed clients for the platforms' JSON APIs, each with exactly one resilience pipeline: short timeouts, and
    /// retries only for safe methods — a code exchange or a publish call is never repeated blindly.
    /// </summary>
    public static IServiceCollection AddPlatformClients(this IServiceCollection services)
    {
        services.AddOptions<MetaOptions>().BindConfiguration(MetaOptions.Section);
        services.AddOptions<GoogleOptions>().BindConfiguration(GoogleOptions.Section);

        services.AddHttpClient<MetaGraphClient>().ConfigurePlatformPipeline();
        services.AddHttpClient<GoogleOAuthClient>().ConfigurePlatformPipeline();
        return services;
    }

    private static IHttpClientBuilder ConfigurePlatformPipeline(this IHttpClientBuilder builder)
    {
        // The API's service defaults give every client the standard pipeline; platform clients replace it rather
        // than stack a second one (RemoveAllResilienceHandlers is marked experimental, hence the suppression).
#pragma warning disable EXTEXP0001
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddStandardResilienceHandler(options =>
        {
            options.Retry.DisableForUnsafeHttpMethods();
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(15);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(45);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
        });
        return builder;
    }
}
