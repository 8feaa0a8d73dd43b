namespace Orbyt.Api.Features.Connections;

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
