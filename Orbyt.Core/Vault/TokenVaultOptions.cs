using Microsoft.Extensions.Options;

namespace Orbyt.Core.Vault;

/// <summary>Key ring for the token vault: <c>Orbyt:Vault:Keys:{id}</c> = secret, <c>Orbyt:Vault:ActiveKeyId</c>.</summary>
public sealed class TokenVaultOptions
{
    public const string Section = "Orbyt:Vault";

    /// <summary>Key id → key material (any string of ≥ 32 characters, e.g. base64 of 32 random bytes).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key new ciphertexts are made with. Optional when the ring has one key.</summary>
    public string? ActiveKeyId { get; set; }
}

public sealed class TokenVaultOptionsValidator : IValidateOptions<TokenVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenVaultOptions options)
    {
        if (options.Keys.Count == 0)
            return ValidateOptionsResult.Fail("Orbyt:Vault:Keys must hold at least one key (the AppHost's token-encryption-key parameter sets Orbyt:Vault:Keys:k1).");
        if (options.Keys.Any(k => k.Key.Length is 0 or > 32 || k.Value is null || k.Value.Length < 32))
            return ValidateOptionsResult.Fail("Every Orbyt:Vault:Keys entry needs an id of 1–32 characters and key material of at least 32 characters.");
        if (options.Keys.Count > 1 && (options.ActiveKeyId is null || !options.Keys.ContainsKey(options.ActiveKeyId)))
            return ValidateOptionsResult.Fail("With more than one key in Orbyt:Vault:Keys, Orbyt:Vault:ActiveKeyId must name one of them.");
        return ValidateOptionsResult.Success;
    }
}
