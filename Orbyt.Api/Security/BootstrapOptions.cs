using Microsoft.Extensions.Options;

namespace Orbyt.Api.Security;

public sealed class BootstrapOptions
{
    public const string Section = "Orbyt";

    /// <summary>The bootstrap (admin) API key, from configuration or the AppHost's secret parameter.</summary>
    public string? BootstrapApiKey { get; set; }

    public BootstrapClientOptions BootstrapClient { get; set; } = new();
}

public sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions options) =>
        options.BootstrapApiKey is null || ApiKeys.TryParse(options.BootstrapApiKey, out _, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Orbyt:BootstrapApiKey must have the form orb_{16-character key id}_{secret}.");
}
