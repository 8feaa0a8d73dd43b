using System.Security.Cryptography;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

namespace Orbyt.Core.Webhooks;

/// <summary>
/// Endpoint secrets: <c>whsec_</c> + base64 of 32 random bytes (the Standard Webhooks format). Stored only as
/// token-vault ciphertext; the plaintext leaves the API in the create and rotate responses, nowhere else.
/// </summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";
    private const int KeyBytes = 32;

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    public static byte[] Protect(ITokenVault vault, string secret) => vault.Protect(secret, VaultPurposes.WebhookSecret);

    public static string Unprotect(ITokenVault vault, byte[] ciphertext) => vault.Unprotect(ciphertext, VaultPurposes.WebhookSecret);

    /// <summary>The secrets that sign for an endpoint right now: the current one, plus the previous one during a rotation's overlap.</summary>
    public static IReadOnlyList<string> SigningSecrets(ITokenVault vault, WebhookEndpoint endpoint, DateTimeOffset now)
    {
        var secrets = new List<string>(2) { Unprotect(vault, endpoint.SecretCiphertext) };
        if (endpoint.PreviousSecretCiphertext is { } previous && endpoint.PreviousSecretExpiresAt > now)
            secrets.Add(Unprotect(vault, previous));
        return secrets;
    }
}
