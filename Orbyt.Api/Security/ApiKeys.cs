using System.Security.Cryptography;
using System.Text;

namespace Orbyt.Api.Security;

/// <summary>
/// API keys look like <c>orb_{key_id}_{secret}</c>. The key id is public and indexes the row; only a SHA-256 hash
/// of the 256-bit random secret is stored. A fast hash is right here: the secret is random, not a password, so it
/// cannot be guessed from its hash, and verification stays cheap on every request.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "orb_";
    private const int KeyIdLength = 16;
    private const int SecretBytes = 32;
    private const string KeyIdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static GeneratedApiKey Generate()
    {
        var keyId = RandomNumberGenerator.GetString(KeyIdAlphabet, KeyIdLength);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return new GeneratedApiKey(keyId, $"{Prefix}{keyId}_{secret}", HashSecret(secret));
    }

    /// <summary>Splits a presented key into its id and secret; false when it does not have the key format.</summary>
    public static bool TryParse(string? presented, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (presented is null || presented.Length > 200 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != KeyIdLength || rest.Length <= separator + 1)
            return false;
        keyId = rest[..separator].ToString();
        secret = rest[(separator + 1)..].ToString();
        return true;
    }

    public static byte[] HashSecret(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Constant-time comparison of a presented secret with the stored hash.</summary>
    public static bool Verify(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(HashSecret(secret), storedHash);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
