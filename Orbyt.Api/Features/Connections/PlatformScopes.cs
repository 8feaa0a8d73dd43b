namespace Orbyt.Api.Features.Connections;

/// <summary>What each platform asks for and what it must get to publish.</summary>
public static class PlatformScopes
{
    // business_management finds Pages reached through a Business Portfolio (reference §11.2); publish_video is not asked:
    // the Video API needs pages_show_list, pages_read_engagement and pages_manage_posts. ads_read is what Instagram also needs
    // when the Page role comes through a portfolio (§11.7). The extra ones are asked, not required: without them the
    // login still connects what it can reach. The comment permissions (pages_manage_engagement §12.6,
    // instagram_manage_comments §13.6) are asked at every connect, not required: a connection without one publishes, and
    // a publication with a first_comment to it is refused (first_comment_permission_missing) until it is reconnected.
    public static readonly string[] Facebook = ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "business_management", "pages_manage_engagement"];
    public static readonly string[] FacebookRequired = ["pages_show_list", "pages_read_engagement", "pages_manage_posts"];
    public static readonly string[] Instagram = ["instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement", "business_management", "ads_read", "instagram_manage_comments"];
    public static readonly string[] InstagramRequired = ["instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement"];
    // Instagram Login (reference §14.1): its own permissions, asked and required alike.
    public static readonly string[] InstagramLogin = ["instagram_business_basic", "instagram_business_content_publish"];
    /// <summary>What Instagram Login's window asks for by default: the required ones and, not required, the comment permission.</summary>
    public static readonly string[] InstagramLoginAsked = [.. InstagramLogin, "instagram_business_manage_comments"];
    public static readonly string[] YouTube = [Core.Platforms.Google.GoogleOAuthClient.UploadScope, Core.Platforms.Google.GoogleOAuthClient.ReadonlyScope];

    /// <summary>
    /// What <c>features: ["youtube_playlists"]</c> adds to a YouTube consent: playlistItems.insert needs youtube,
    /// youtube.force-ssl or youtubepartner (reference §15.3); youtube.force-ssl is the narrowest Google documents for it.
    /// </summary>
    public static readonly string[] YouTubePlaylists = [Core.Platforms.Google.GoogleOAuthClient.ForceSslScope];

    /// <summary>Whether a YouTube grant may add videos to playlists (§15.3).</summary>
    public static bool CanManagePlaylists(IReadOnlyCollection<string> granted) =>
        granted.Contains(Core.Platforms.Google.GoogleOAuthClient.ForceSslScope) || granted.Contains(Core.Platforms.Google.GoogleOAuthClient.ManageScope)
        || granted.Contains(Core.Platforms.Google.GoogleOAuthClient.PartnerScope);

    /// <summary>
    /// The permission a first comment needs on this kind of connection (Facebook §12.6, Instagram §13.6, Instagram Login's
    /// own); null where Orbyt makes no comments (YouTube: commentThreads.insert needs youtube.force-ssl).
    /// </summary>
    public static string? Comment(string platform, string login) => (platform, login) switch
    {
        (Core.Data.PlatformNames.Facebook, _) => "pages_manage_engagement",
        (Core.Data.PlatformNames.Instagram, Core.Data.ConnectionLogins.Instagram) => "instagram_business_manage_comments",
        (Core.Data.PlatformNames.Instagram, _) => "instagram_manage_comments",
        _ => null,
    };

    public static string[] Required(string platform) => platform == Core.Data.PlatformNames.Instagram ? InstagramRequired : FacebookRequired;

    public static string[] Missing(string platform, IReadOnlyCollection<string> granted) => platform switch
    {
        Core.Data.PlatformNames.Facebook => FacebookRequired.Except(granted).ToArray(),
        Core.Data.PlatformNames.Instagram => InstagramRequired.Except(granted).ToArray(),
        // youtube (manage) covers both upload and read.
        Core.Data.PlatformNames.YouTube => granted.Contains(Core.Platforms.Google.GoogleOAuthClient.ManageScope) ? [] : YouTube.Except(granted).ToArray(),
        _ => [],
    };
}
