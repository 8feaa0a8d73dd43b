namespace Orbyt.Core.Data;

public static class CredentialKinds
{
    /// <summary>Meta long-lived user token (~60 days) with its data-access window (~90 days).</summary>
    public const string MetaUser = "meta_user";
    /// <summary>Meta Page token derived from a long-lived user token (no expiry, but can be invalidated).</summary>
    public const string MetaPage = "meta_page";
    /// <summary>
    /// Instagram User token from Instagram Login (reference §14): long-lived (60 days), refreshed with
    /// <c>ig_refresh_token</c> once it is a day old; it publishes on graph.instagram.com. No parent, no Page.
    /// </summary>
    public const string InstagramUser = "instagram_user";
    /// <summary>Google OAuth grant: short-lived access token plus refresh token.</summary>
    public const string Google = "google";
}
