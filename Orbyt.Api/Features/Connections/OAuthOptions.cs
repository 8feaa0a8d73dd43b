namespace Orbyt.Api.Features.Connections;

/// <summary><c>Orbyt:OAuth</c>: where the platforms send the browser back, and how long a consent may take.</summary>
public sealed class OAuthOptions
{
    public const string Section = "Orbyt:OAuth";

    /// <summary>The API's public base URL; redirect URIs are <c>{PublicBaseUrl}/v1/oauth/{platform}/callback</c>.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5200/");

    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public string RedirectUri(string platform) => new Uri(PublicBaseUrl, $"/v1/oauth/{platform}/callback").ToString();
}

/// <summary>What each platform asks for and what it must get to publish.</summary>
public static class PlatformScopes
{
    public static readonly string[] Facebook = ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "publish_video"];
    public static readonly string[] FacebookRequired = ["pages_show_list", "pages_read_engagement", "pages_manage_posts"];
    public static readonly string[] Instagram = ["instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement"];
    public static readonly string[] InstagramRequired = Instagram;
    public static readonly string[] YouTube = [Core.Platforms.Google.GoogleOAuthClient.UploadScope, Core.Platforms.Google.GoogleOAuthClient.ReadonlyScope];

    public static string[] Missing(string platform, IReadOnlyCollection<string> granted) => platform switch
    {
        Core.Data.PlatformNames.Facebook => FacebookRequired.Except(granted).ToArray(),
        Core.Data.PlatformNames.Instagram => InstagramRequired.Except(granted).ToArray(),
        // youtube (manage) covers both upload and read.
        Core.Data.PlatformNames.YouTube => granted.Contains(Core.Platforms.Google.GoogleOAuthClient.ManageScope) ? [] : YouTube.Except(granted).ToArray(),
        _ => [],
    };
}
