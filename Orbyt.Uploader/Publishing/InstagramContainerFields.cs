using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// The fields of an Instagram container for a target's format (reference §13.1): what each kind of container takes,
/// and nothing it does not (Meta refuses a parameter a container type does not take). The same for every Instagram
/// host (Facebook Login's graph.facebook.com, Instagram Login's graph.instagram.com).
/// </summary>
public static class InstagramContainerFields
{
    /// <summary>The container of a one-item post: a feed image, a Reel or a story; <paramref name="url"/> null for a resumable (pushed) video.</summary>
    public static IReadOnlyList<(string Name, string Value)> Single(TargetContent content, ContentItem item, string? url)
    {
        var fields = new List<(string, string)>();
        var story = content.Format == ContentFormats.Story;
        if (item.Type == MediaTypes.Image)
        {
            fields.Add(("image_url", url!));
            if (story) fields.Add(("media_type", "STORIES"));
            else if (item.AltText is not null) fields.Add(("alt_text", item.AltText));
        }
        else
        {
            if (url is not null) fields.Add(("video_url", url));
            fields.Add(("media_type", story ? "STORIES" : "REELS"));
            if (!story && content.Flag("share_to_feed") is { } shareToFeed) fields.Add(("share_to_feed", shareToFeed ? "true" : "false"));
        }
        // Stories have no caption field (reference §13.1).
        if (!story) fields.Add(("caption", content.Caption ?? ""));
        return fields;
    }

    /// <summary>
    /// A carousel child: <c>is_carousel_item=true</c>, an image (with its alt text) or a video (<c>media_type=VIDEO</c>;
    /// a Reel cannot be a carousel item). No caption: children do not take one (reference §13.1). <paramref name="pushed"/>:
    /// a video child whose bytes Orbyt uploads (<c>upload_type=resumable</c> is added by the client), so no <c>video_url</c>.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)> CarouselChild(ContentItem item, bool pushed = false) =>
        item.Type == MediaTypes.Image
            ? [("image_url", item.Url), ("is_carousel_item", "true"), .. item.AltText is null ? [] : new[] { ("alt_text", item.AltText) }]
            : [.. pushed ? [] : new[] { ("video_url", item.Url) }, ("media_type", "VIDEO"), ("is_carousel_item", "true")];

    /// <summary>The carousel parent: <c>media_type=CAROUSEL</c>, the children's container ids in order, and the caption (§13.2).</summary>
    public static IReadOnlyList<(string Name, string Value)> CarouselParent(TargetContent content, IReadOnlyList<string> children) =>
        [("media_type", "CAROUSEL"), ("children", string.Join(',', children)), ("caption", content.Caption ?? "")];
}
