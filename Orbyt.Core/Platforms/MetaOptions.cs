namespace Orbyt.Core.Platforms;

/// <summary>
/// Platform credentials and base URLs (<c>Platforms:*</c>). The defaults are the real hosts; the AppHost points
/// them at the sandbox in development and tests. Base URLs end with '/'.
/// </summary>
public sealed class MetaOptions
{
    public const string Section = "Platforms:Meta";
    public string AppId { get; set; } = "";
    public string AppSecret { get; set; } = "";
    /// <summary>The pinned Graph API version (one constant for the whole system).</summary>
    public string GraphVersion { get; set; } = "v24.0";
    public Uri DialogBaseUrl { get; set; } = new("https://www.facebook.com/");
    public Uri GraphBaseUrl { get; set; } = new("https://graph.facebook.com/");
    public Uri RuploadBaseUrl { get; set; } = new("https://rupload.facebook.com/");

    /// <summary>
    /// Instagram Login (reference §14): the Instagram App ID and secret from App Dashboard → Instagram → API setup with
    /// Instagram login (not the Facebook app's), the authorization window's host, api.instagram.com (code exchange) and
    /// graph.instagram.com (tokens, /me, publishing). Empty ids: Instagram Login is not offered.
    /// </summary>
    public string InstagramAppId { get; set; } = "";
    public string InstagramAppSecret { get; set; } = "";
    public Uri InstagramAuthorizeBaseUrl { get; set; } = new("https://www.instagram.com/");
    public Uri InstagramApiBaseUrl { get; set; } = new("https://api.instagram.com/");
    public Uri InstagramGraphBaseUrl { get; set; } = new("https://graph.instagram.com/");

    /// <summary>Where the OAuth dialog and the code exchange send the user back (our callback).</summary>
    public string AppAccessToken => $"{AppId}|{AppSecret}";
}
