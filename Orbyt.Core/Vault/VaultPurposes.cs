namespace Orbyt.Core.Vault;

public static class VaultPurposes
{
    public const string AccessToken = "access-token";
    public const string RefreshToken = "refresh-token";
    public const string PkceVerifier = "pkce-verifier";
    public const string WebhookSecret = "webhook-secret";
}
