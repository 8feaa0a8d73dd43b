using System.Text.Json;
using System.Text.RegularExpressions;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// What each platform accepts, checked per target before anything is queued (docs/publishing.md, validation). The one
/// place these rules live: the create call checks each target's <see cref="TargetContent"/> here, and so may any other
/// caller that needs to know whether a publication would be accepted.
/// </summary>
public static partial class PlatformRules
{
    public const int InstagramCaptionMax = 2200;
    public const int InstagramHashtagsMax = 30;
    public const int InstagramMentionsMax = 20;
    public const int InstagramCarouselMax = 10;
    public const int YouTubeTitleMax = 100;
    public const int YouTubeDescriptionMax = 5000;
    /// <summary>A Facebook comment (the comment box's limit; the API documents none) — also the request's first_comment limit.</summary>
    public const int FacebookCommentMax = 8000;
    /// <summary>An Instagram comment: the caption's 2,200 characters (the Graph API documents no other limit).</summary>
    public const int InstagramCommentMax = 2200;
    /// <summary>A Page post's message; also the request's overall caption limit.</summary>
    public const int FacebookMessageMax = 63_206;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The content one target of the request publishes: the publication's, with the target's overrides.</summary>
    public static TargetContent ContentOf(CreatePublicationRequest request, PublicationTarget target, string platform)
    {
        var items = request.Items.Select(m => new ContentItem(m.Type, m.Url, m.AltText)).ToArray();
        object? options = platform switch
        {
            PlatformNames.YouTube => target.Youtube ?? request.Youtube,
            PlatformNames.Instagram => target.Instagram ?? request.Instagram,
            PlatformNames.Facebook => target.Facebook ?? request.Facebook,
            _ => null,
        };
        var format = target.Format ?? ContentFormats.Default(platform, items);
        return new TargetContent(platform, format, items,
            target.Caption ?? request.Caption, target.Title ?? request.Title,
            options is null ? default : JsonSerializer.SerializeToElement(options, Json))
        {
            FirstComment = TargetContent.FirstCommentOf(platform, format, target.FirstComment, request.FirstComment),
        };
    }

    /// <summary>The first rule the target's content breaks, or null.</summary>
    public static (ErrorDefinition Error, string Detail)? Check(TargetContent content) =>
        CheckFormat(content) ?? CheckAltText(content) ?? CheckLink(content) ?? CheckText(content) ?? CheckFirstComment(content) ?? CheckYouTubeRelease(content)
        ?? CheckInstagramOptions(content);

    public const int InstagramCollaboratorsMax = 3;
    public const int InstagramUserTagsMax = 20;
    /// <summary>An Instagram username as Orbyt sends it: letters, digits, periods and underscores, at most 30, no @.</summary>
    public const string InstagramUsernamePattern = "^[A-Za-z0-9._]{1,30}$";
    /// <summary>A location: a Facebook Page id.</summary>
    public const string InstagramLocationIdPattern = "^[0-9]{1,32}$";

    /// <summary>
    /// The Instagram options beyond share_to_feed (reference §13.1, §13.4) on the formats that take them: the kind of
    /// container the target makes (a Reel, a feed image, a carousel parent, a story) decides. share_to_feed off a Reel is
    /// left ignored, as before these options existed. What needs the file (thumb_offset within the duration, the cover's
    /// JPEG) is checked with the probe, in <see cref="PublicationRules"/>.
    /// </summary>
    private static (ErrorDefinition, string)? CheckInstagramOptions(TargetContent content)
    {
        if (content.Platform != PlatformNames.Instagram || content.Options.ValueKind != JsonValueKind.Object)
            return null;
        var kind = content.Format switch
        {
            ContentFormats.Reels => "Reel",
            ContentFormats.Story => "story",
            _ => content.Items.Count > 1 ? "carousel" : "feed image",
        };
        string[] allowed = kind switch
        {
            "Reel" => ["cover_url", "thumb_offset", "collaborators", "location_id", "user_tags"],
            "feed image" => ["collaborators", "location_id", "user_tags"],
            "carousel" => ["collaborators", "location_id"],
            _ => ["user_tags"],
        };
        foreach (var name in new[] { "cover_url", "thumb_offset", "collaborators", "location_id", "user_tags" })
        {
            if (Present(content.Raw(name)) && !allowed.Contains(name))
                return (ErrorCatalog.InstagramOptionNotSupported, $"instagram.{name} cannot go on an Instagram {kind}" + name switch
                {
                    "cover_url" or "thumb_offset" => "; it is a Reel's cover.",
                    "user_tags" => "; tag users on a feed image, a Reel or a story (a carousel's tags would belong to its items).",
                    _ => "; it goes on a feed image, a carousel or a Reel, never a story.",
                });
        }

        if (content.Raw("thumb_offset") is { ValueKind: JsonValueKind.Number } offset && offset.GetDouble() < 0)
            return (ErrorCatalog.InstagramThumbOffsetInvalid, $"instagram.thumb_offset is milliseconds into the video, at least 0; it is {offset.GetRawText()}.");
        if (content.Raw("collaborators") is { ValueKind: JsonValueKind.Array } collaborators)
        {
            var names = collaborators.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString()! : "").ToArray();
            if (names.Length is 0 or > InstagramCollaboratorsMax)
                return (ErrorCatalog.InstagramCollaboratorsInvalid, $"instagram.collaborators takes 1–{InstagramCollaboratorsMax} usernames; {names.Length} were sent.");
            if (names.FirstOrDefault(n => !Username().IsMatch(n)) is { } bad)
                return (ErrorCatalog.InstagramCollaboratorsInvalid, $"instagram.collaborators: \"{bad}\" is not an Instagram username (letters, digits, periods and underscores, at most 30, without the @).");
            if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
                return (ErrorCatalog.InstagramCollaboratorsInvalid, "instagram.collaborators names someone twice.");
        }
        if (content.Raw("location_id") is { ValueKind: JsonValueKind.String } location && !LocationId().IsMatch(location.GetString()!))
            return (ErrorCatalog.InstagramLocationInvalid, "instagram.location_id must be the numeric id of a Facebook Page with location data.");
        if (content.Raw("user_tags") is { ValueKind: JsonValueKind.Array } tags)
            return CheckUserTags(tags, coordinatesRequired: kind == "feed image");
        return null;
    }

    private static (ErrorDefinition, string)? CheckUserTags(JsonElement tags, bool coordinatesRequired)
    {
        var count = tags.GetArrayLength();
        if (count is 0 or > InstagramUserTagsMax)
            return (ErrorCatalog.InstagramUserTagsInvalid, $"instagram.user_tags takes 1–{InstagramUserTagsMax} tags; {count} were sent.");
        var i = 0;
        foreach (var tag in tags.EnumerateArray())
        {
            var username = tag.TryGetProperty("username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
            if (!Username().IsMatch(username))
                return (ErrorCatalog.InstagramUserTagsInvalid, $"instagram.user_tags[{i}].username \"{username}\" is not an Instagram username (letters, digits, periods and underscores, at most 30, without the @).");
            double? Coordinate(string axis) => tag.TryGetProperty(axis, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            var (x, y) = (Coordinate("x"), Coordinate("y"));
            if (x is null != y is null || coordinatesRequired && x is null)
                return (ErrorCatalog.InstagramUserTagsInvalid, coordinatesRequired
                    ? $"instagram.user_tags[{i}] needs x and y on a feed image (the tag's position, 0–1)."
                    : $"instagram.user_tags[{i}] takes both x and y, or neither.");
            if (x is < 0 or > 1 || y is < 0 or > 1)
                return (ErrorCatalog.InstagramUserTagsInvalid, $"instagram.user_tags[{i}]: x and y are fractions of the width and height, from 0 to 1 (not pixels); they are {x}, {y}.");
            i++;
        }
        return null;
    }

    /// <summary>
    /// A Reel's thumb_offset against the probed duration (reference §13.4: outside [0, duration) Meta answers 1/2207057).
    /// Null when there is none, or the duration is unknown.
    /// </summary>
    public static (ErrorDefinition Error, string Detail)? CheckInstagramThumbOffset(TargetContent content, TimeSpan? duration) =>
        content.Platform == PlatformNames.Instagram && content.Raw("thumb_offset") is { ValueKind: JsonValueKind.Number } offset
            && duration is { } d && offset.GetDouble() >= d.TotalMilliseconds
            ? (ErrorCatalog.InstagramThumbOffsetInvalid, $"instagram.thumb_offset must be less than the video's duration, {d.TotalMilliseconds:0} ms; it is {offset.GetRawText()}.")
            : null;

    private static bool Present(JsonElement value) => value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    [GeneratedRegex(InstagramUsernamePattern)]
    private static partial Regex Username();

    [GeneratedRegex(InstagramLocationIdPattern)]
    private static partial Regex LocationId();

    /// <summary>A first comment goes only under a post that takes comments, with visible text within the platform's limit.</summary>
    private static (ErrorDefinition, string)? CheckFirstComment(TargetContent content)
    {
        if (content.FirstComment is not { } comment)
            return null;
        if (!ContentFormats.TakesComments(content.Platform, content.Format))
            return (ErrorCatalog.FirstCommentNotSupported, content.Platform == PlatformNames.YouTube
                ? "YouTube comments (commentThreads.insert) need the youtube.force-ssl scope; Orbyt asks only for youtube.upload, so it cannot comment."
                : $"A {content.Platform} {content.Format} takes no comments.");
        var max = content.Platform == PlatformNames.Instagram ? InstagramCommentMax : FacebookCommentMax;
        if (string.IsNullOrWhiteSpace(comment) || comment.Length > max)
            return (ErrorCatalog.FirstCommentInvalid, $"A {content.Platform} first comment needs 1–{max:N0} characters of visible text.");
        return null;
    }

    /// <summary>§15.4: publishAt "can be set only if the privacy status of the video is private" (left out here means private).</summary>
    private static (ErrorDefinition, string)? CheckYouTubeRelease(TargetContent content) =>
        content.Platform == PlatformNames.YouTube && content.Raw("publish_at").ValueKind == JsonValueKind.String
            && content.Raw("privacy_status") is { ValueKind: JsonValueKind.String } privacy && privacy.GetString() != "private"
            ? (ErrorCatalog.YouTubePublishAtRequiresPrivate, $"youtube.publish_at needs privacy_status private (YouTube makes the video public at that time); it is {privacy.GetString()}.")
            : null;

    private static (ErrorDefinition, string)? CheckFormat(TargetContent content)
    {
        var (platform, format, items) = (content.Platform, content.Format, content.Items);
        if (!ContentFormats.ByPlatform[platform].Contains(format))
            return (ErrorCatalog.FormatNotSupported, $"{platform} takes the formats {string.Join(", ", ContentFormats.ByPlatform[platform])}, not {format}.");
        // A post without media is a Facebook text or link post (reference §12.1); nothing else publishes without a file.
        if (items.Count == 0)
        {
            return (platform, format) switch
            {
                (PlatformNames.Facebook, ContentFormats.Post) => null,
                (PlatformNames.Facebook, _) => (ErrorCatalog.MediaRequired, $"A Facebook {format} needs its media; only a Facebook post may be text or a link alone."),
                _ => (ErrorCatalog.MediaRequired, $"{platform} publishes only images or videos; a post without media (text or a link) is for Facebook Pages only."),
            };
        }
        var videos = items.Count(i => i.Type == MediaTypes.Video);
        if (platform == PlatformNames.YouTube && videos != items.Count)
            return (ErrorCatalog.MediaTypeNotSupportedByPlatform, "YouTube accepts only videos; the Data API has no image posts.");
        // An Instagram feed post of 2–10 items is a carousel, images and videos mixed (reference §13.2); a Facebook post of
        // 2–10 is a multi-photo post, images only (§12.2: unpublished photos attached to one /feed post).
        var carousel = (platform, format) is (PlatformNames.Instagram, ContentFormats.Feed) or (PlatformNames.Facebook, ContentFormats.Post);
        if (platform == PlatformNames.Facebook && items.Count > 1 && videos > 0)
            return (ErrorCatalog.FormatMediaMismatch, "A Facebook post of several items is a multi-photo post: images only; publish a video as its own post.");
        if (items.Count > 1 && !carousel)
            return (ErrorCatalog.MediaCountInvalid, $"A {platform} {format} takes one media item; {items.Count} were sent.");
        if (items.Count > InstagramCarouselMax)
            return (ErrorCatalog.MediaCountInvalid, $"An Instagram carousel or a Facebook multi-photo post takes 2–{InstagramCarouselMax} items; {items.Count} were sent.");
        return (platform, format) switch
        {
            (PlatformNames.Instagram, ContentFormats.Reels) when videos == 0 => (ErrorCatalog.FormatMediaMismatch, "An Instagram Reel is a video; an image cannot be a Reel."),
            (PlatformNames.Facebook, ContentFormats.Reel) when videos == 0 => (ErrorCatalog.FormatMediaMismatch, "A Facebook reel is a video; an image cannot be a reel."),
            (PlatformNames.Instagram, ContentFormats.Feed) when items.Count == 1 && videos == 1 => (ErrorCatalog.FormatMediaMismatch,
                "Instagram publishes a single video as a Reel (format reels); a feed post with one item is an image."),
            _ => null,
        };
    }

    private static (ErrorDefinition, string)? CheckAltText(TargetContent content)
    {
        if (!content.Items.Any(i => i.AltText is not null))
            return null;
        if (content.Items.FirstOrDefault(i => i.AltText is not null && i.Type != MediaTypes.Image) is not null)
            return (ErrorCatalog.AltTextNotSupported, "alt_text is for images only; a video takes none.");
        return content.Platform switch
        {
            // YouTube has no image items at all (checked above); a story or Reel has no alt text (reference §13.1, §13.5).
            PlatformNames.Instagram when content.Format == ContentFormats.Story => (ErrorCatalog.AltTextNotSupported, "Instagram stories take no alt_text."),
            // §12.7: alt text on photos only; a story (photo or video) has no field for it (§12.5).
            PlatformNames.Facebook when content.Format == ContentFormats.Story => (ErrorCatalog.AltTextNotSupported, "Facebook stories take no alt_text."),
            _ => null,
        };
    }

    /// <summary>
    /// facebook.link (reference §12.1): an absolute http(s) URL, on a post without media — a photo or video post has no
    /// link field (§2.2, §2.3), and attaching both to one /feed post is not documented. Meta's crawler fetches it, not Orbyt.
    /// </summary>
    private static (ErrorDefinition, string)? CheckLink(TargetContent content)
    {
        if (content.Platform != PlatformNames.Facebook || content.Option("link") is not { } link)
            return null;
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return (ErrorCatalog.LinkInvalid, "facebook.link must be an absolute http or https URL.");
        if (content.Items.Count > 0)
            return (ErrorCatalog.LinkInvalid, "facebook.link makes a link post, which has no media; put the link in the caption of a photo or video post instead.");
        return null;
    }

    private static (ErrorDefinition, string)? CheckText(TargetContent content)
    {
        switch (content.Platform)
        {
            // A post without media has its text or its link to show, or nothing at all.
            case PlatformNames.Facebook when content.Items.Count == 0 && string.IsNullOrWhiteSpace(content.Caption) && content.Option("link") is null:
                return (ErrorCatalog.CaptionInvalid, "A Facebook post without media needs a caption, a facebook.link, or both.");
            case PlatformNames.YouTube:
                if (string.IsNullOrWhiteSpace(content.Title) || content.Title.Length > YouTubeTitleMax || content.Title.IndexOfAny(['<', '>']) >= 0)
                    return (ErrorCatalog.TitleRequired, $"YouTube needs a title of 1–{YouTubeTitleMax} characters without < or >.");
                if (content.Caption is { Length: > YouTubeDescriptionMax })
                    return (ErrorCatalog.CaptionInvalid, $"YouTube descriptions allow at most {YouTubeDescriptionMax:N0} characters.");
                break;
            // A story has no caption field (reference §13.1): its caption is not sent, so it is not checked.
            case PlatformNames.Instagram when content.Format != ContentFormats.Story && content.Caption is { } caption:
                if (caption.Length > InstagramCaptionMax)
                    return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramCaptionMax} characters.");
                if (Hashtag().Count(caption) > InstagramHashtagsMax)
                    return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramHashtagsMax} hashtags.");
                if (Mention().Count(caption) > InstagramMentionsMax)
                    return (ErrorCatalog.CaptionInvalid, $"Instagram captions allow at most {InstagramMentionsMax} @-mentions.");
                break;
        }
        return null;
    }

    [GeneratedRegex(@"(?<!\w)#\w+")]
    private static partial Regex Hashtag();

    [GeneratedRegex(@"(?<!\w)@[\w.]+")]
    private static partial Regex Mention();
}
