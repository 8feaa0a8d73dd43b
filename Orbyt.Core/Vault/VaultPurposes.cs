namespace Orbyt.Core.Vault;

public static class VaultPurposes
{
    public const string AccessToken = "access-token";
    public const string RefreshToken = "refresh-token";
    public const string PkceVerifier = "pkce-verifier";
    public const string WebhookSecret = "webhook-secret";
    /// <summary>A media URL with its query (a signed URL's token): only the Uploader opens it, to fetch or hand it over.</summary>
    public const string MediaUrl = "media-url";
}
