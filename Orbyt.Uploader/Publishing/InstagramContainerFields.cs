using System.Text.Json;
using System.Text.Json.Nodes;
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
            if (!story) AddOptions(fields, content, "cover_url", "thumb_offset");
        }
        // §13.1: a story takes user tags only; a feed image and a Reel collaborators, a location and user tags.
        AddOptions(fields, content, story ? ["user_tags"] : ["collaborators", "location_id", "user_tags"]);
        // Stories have no caption field (reference §13.1).
        if (!story) fields.Add(("caption", content.Caption ?? ""));
        return fields;
    }

    /// <summary>
    /// The target's Instagram options among <paramref name="names"/> that it sets, as Meta takes them (§13.1, §13.4):
    /// strings and numbers as they are, collaborators and user_tags JSON-encoded (a tag's x/y left out when not given).
    /// The API only accepts each option on a format that takes it, so nothing here is sent where Meta refuses it.
    /// </summary>
    private static void AddOptions(List<(string, string)> fields, TargetContent content, params string[] names)
    {
        foreach (var name in names)
        {
            var value = content.Raw(name);
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    fields.Add((name, value.GetString()!));
                    break;
                case JsonValueKind.Number:
                    fields.Add((name, value.GetRawText()));
                    break;
                case JsonValueKind.Array when name == "user_tags":
                    var tags = new JsonArray();
                    foreach (var tag in value.EnumerateArray())
                    {
                        var o = new JsonObject { ["username"] = tag.GetProperty("username").GetString() };
                        foreach (var axis in new[] { "x", "y" })
                            if (tag.TryGetProperty(axis, out var v) && v.ValueKind == JsonValueKind.Number) o[axis] = v.GetDouble();
                        tags.Add(o);
                    }
                    fields.Add((name, tags.ToJsonString()));
                    break;
                case JsonValueKind.Array:
                    fields.Add((name, JsonSerializer.Serialize(value.EnumerateArray().Select(e => e.GetString()))));
                    break;
            }
        }
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

    /// <summary>The carousel parent: <c>media_type=CAROUSEL</c>, the children's container ids in order, the caption (§13.2), collaborators and location.</summary>
    public static IReadOnlyList<(string Name, string Value)> CarouselParent(TargetContent content, IReadOnlyList<string> children)
    {
        var fields = new List<(string, string)> { ("media_type", "CAROUSEL"), ("children", string.Join(',', children)), ("caption", content.Caption ?? "") };
        // §13.1: collaborators and a location go on the parent, never on a child (Meta refuses them there).
        AddOptions(fields, content, "collaborators", "location_id");
        return fields;
    }
}
