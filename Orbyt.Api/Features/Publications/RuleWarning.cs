namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Something the dry run noticed that does not stop a publication but that a user may want to fix first (the codes
/// are listed in docs/publishing.md, "Dry run").
/// </summary>
public sealed record RuleWarning(string Code, string Message)
{
    public const string CaptionNearLimit = "caption_near_limit";
    public const string TitleNearLimit = "title_near_limit";
    public const string MediaUrlExpiresSoon = "media_url_expires_soon";
    public const string MediaWillBeCropped = "media_will_be_cropped";
    public const string MediaNotReady = "media_not_ready";
    public const string MediaNotProbed = "media_not_probed";
}
