using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms;
using Orbyt.Core.Vault;

namespace Orbyt.Core.Credentials;

public static class CredentialExtensions
{
    /// <summary>Token access for workers: the vault, the platform clients, on-demand refresh.</summary>
    public static IServiceCollection AddConnectionTokens(this IServiceCollection services)
    {
        services.AddTokenVault();
        services.AddPlatformClients();
        services.AddMetrics();
        services.AddOptions<TokenRefreshOptions>().BindConfiguration(TokenRefreshOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenRefreshOptions>, TokenRefreshOptionsValidator>();
        services.AddSingleton<CredentialTelemetry>();
        services.AddScoped<CredentialRefresher>();
        services.AddScoped<ConnectionTokens>();
        return services;
    }
}
