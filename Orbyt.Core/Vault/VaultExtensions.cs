using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orbyt.Core.Vault;

public static class VaultExtensions
{
    public static IServiceCollection AddTokenVault(this IServiceCollection services)
    {
        services.AddOptions<TokenVaultOptions>().BindConfiguration(TokenVaultOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenVaultOptions>, TokenVaultOptionsValidator>();
        services.AddSingleton<ITokenVault, AesGcmTokenVault>();
        return services;
    }
}
