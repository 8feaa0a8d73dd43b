using System.Text.RegularExpressions;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Publications;

/// <summary>What each platform accepts, checked before anything is queued (docs/publishing.md, validation).</summary>
public static partial class PlatformRules
{
    public const int InstagramCaptionMax = 2200;
    public const int InstagramHashtagsMax = 30;
    public const int InstagramMentionsMax = 20;
    public const int YouTubeTitleMax = 100;
    public const int YouTubeDescriptionMax = 5000;
    /// <summary>A Page post's message; also the request's overall caption limit.</summary>
    public const int FacebookMessageMax = 63_206;

    /// <summary>The first rule a target breaks, or null.</summary>
    public static (ErrorDefinition Error, string Detail)? Check(string platform, CreatePublicationRequest request)
    {
        var media = request.Media;
        switch (platform)
        {
            case PlatformNames.YouTube:
                if (media.Type != MediaTypes.Video)
                    return (ErrorCatalog.MediaTypeNotSupportedByPlatform, "YouTube accepts only videos; the Data API has no image posts.");
                if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > YouTubeTitleMax || request.Title.IndexOfAny(['<', '>']) >= 0)
                    return (ErrorCatalog.TitleRequired, "YouTube needs a title of 1–100 characters without < or >.");
                if (request.Caption is { Length: > YouTubeDescriptionMax })
                    return (ErrorCatalog.CaptionInvalid, "YouTube descriptions allow at most 5,000 characters.");
                break;
            case PlatformNames.Instagram:
                if (request.Caption is { } caption)
                {
                    if (caption.Length > InstagramCaptionMax)
                        return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramCaptionMax} characters.");
                    if (Hashtag().Count(caption) > InstagramHashtagsMax)
                        return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramHashtagsMax} hashtags.");
                    if (Mention().Count(caption) > InstagramMentionsMax)
                        return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramMentionsMax} @-mentions.");
                }
                break;
        }
        return null;
    }

    [GeneratedRegex(@"(?<!\w)#\w+")]
    private static partial Regex Hashtag();

    [GeneratedRegex(@"(?<!\w)@[\w.]+")]
    private static partial Regex Mention();
}
