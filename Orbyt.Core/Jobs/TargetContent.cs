using System.Text.Json;
using System.Text.Json.Nodes;
using Orbyt.Core.Data;

namespace Orbyt.Core.Jobs;

/// <summary>One media item of a publication: <c>image</c> or <c>video</c>, its URL and (images) its alt text.</summary>
public sealed record ContentItem(string Type, string Url, string? AltText);

/// <summary>The formats a target may ask for, per platform (docs/publishing.md, formats).</summary>
public static class ContentFormats
{
    /// <summary>Facebook: a Page post (a photo, several photos, a video).</summary>
    public const string Post = "post";
    /// <summary>Instagram: a feed post (an image, or a carousel of 2–10 images and videos).</summary>
    public const string Feed = "feed";
    /// <summary>Instagram: a Reel.</summary>
    public const string Reels = "reels";
    /// <summary>Facebook: a Page reel (/video_reels; at most 30 a Page publishes through the API in 24 h).</summary>
    public const string Reel = "reel";
    /// <summary>Instagram or Facebook: a story (one image or video, expires after 24 h).</summary>
    public const string Story = "story";
    /// <summary>YouTube: a video (whether it is a Short is YouTube's decision from the file).</summary>
    public const string Video = "video";

    /// <summary>What each platform takes; the API refuses anything else before queueing.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ByPlatform = new Dictionary<string, string[]>
    {
        [PlatformNames.Facebook] = [Post, Reel, Story],
        [PlatformNames.Instagram] = [Feed, Reels, Story],
        [PlatformNames.YouTube] = [Video],
    };

    public static readonly string[] All = ByPlatform.Values.SelectMany(v => v).Distinct().ToArray();

    /// <summary>
    /// Whether a post of this format takes a first comment: Facebook posts and Reels (reference §12.6), Instagram feed
    /// posts and Reels (§13.6). Stories take no comments; YouTube comments need youtube.force-ssl, which is not asked.
    /// </summary>
    public static bool TakesComments(string platform, string format) =>
        platform is PlatformNames.Facebook or PlatformNames.Instagram && format != Story;

    /// <summary>The format a target gets when it names none: the platform's post of this media.</summary>
    public static string Default(string platform, IReadOnlyList<ContentItem> items) => platform switch
    {
        PlatformNames.Instagram => items.Count == 1 && items[0].Type == MediaTypes.Video ? Reels : Feed,
        PlatformNames.YouTube => Video,
        _ => Post,
    };
}

/// <summary>
/// What one target publishes: its format, media, and the text and options after the target's overrides. The API
/// builds it from the request to check it (one rule set, <c>PlatformRules</c>); the Uploader reads it back from the
/// stored publication (<see cref="Read"/>), so both see the same content.
/// </summary>
/// <param name="Options">The platform's options object: the target's override, else the publication's (may be undefined).</param>
public sealed record TargetContent(string Platform, string Format, IReadOnlyList<ContentItem> Items, string? Caption, string? Title, JsonElement Options)
{
    /// <summary>The publication's options property holding the media list (when it has more than one item or any alt text).</summary>
    public const string MediaKey = "media";
    /// <summary>The publication's options property holding each target's overrides, by connection id.</summary>
    public const string TargetsKey = "targets";

    /// <summary>
    /// The comment to post under this target's post once it is published: the target's own <c>first_comment</c>, else
    /// the publication's when this format takes comments (<see cref="ContentFormats.TakesComments"/>); null for none.
    /// </summary>
    public string? FirstComment { get; init; }

    /// <summary>The publication's (and a target override's) property holding the first comment.</summary>
    public const string FirstCommentKey = "first_comment";

    /// <summary>What a target gets from the publication's <c>first_comment</c> and its own: its own wins; the publication's only where it can apply.</summary>
    public static string? FirstCommentOf(string platform, string format, string? own, string? publication) =>
        own ?? (ContentFormats.TakesComments(platform, format) ? publication : null);

    public string? Option(string name) => Options.ValueKind == JsonValueKind.Object && Options.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.GetString() : null;

    public bool? Flag(string name) =>
        Options.ValueKind == JsonValueKind.Object && Options.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    public JsonElement Raw(string name) =>
        Options.ValueKind == JsonValueKind.Object && Options.TryGetProperty(name, out var v) ? v : default;

    /// <summary>
    /// The content of the target on <paramref name="connectionId"/> from the stored publication; <paramref name="urls"/>
    /// are the full URLs of its items in order (unsealed where they carry a secret).
    /// </summary>
    public static TargetContent Read(Publication publication, Guid connectionId, string platform, IReadOnlyList<string> urls)
    {
        var root = publication.Options?.RootElement ?? default;
        var items = new List<ContentItem>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(MediaKey, out var media) && media.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in media.EnumerateArray())
            {
                items.Add(new ContentItem(item.GetProperty("type").GetString()!, urls[i++],
                    item.TryGetProperty("alt_text", out var alt) && alt.ValueKind == JsonValueKind.String ? alt.GetString() : null));
            }
        }
        else if (publication.MediaType != MediaTypes.None)
        {
            items.Add(new ContentItem(publication.MediaType, urls[0], null));
        }

        var target = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(TargetsKey, out var targets) && targets.ValueKind == JsonValueKind.Object
            && targets.TryGetProperty(connectionId.ToString(), out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        string? Text(string name, string? fallback) =>
            target.ValueKind == JsonValueKind.Object && target.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : fallback;
        JsonElement PlatformOptions(JsonElement scope) =>
            scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty(platform, out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var options = PlatformOptions(target) is { ValueKind: JsonValueKind.Object } own ? own : PlatformOptions(root);
        var format = Text("format", null) ?? ContentFormats.Default(platform, items);
        var publicationComment = root.ValueKind == JsonValueKind.Object && root.TryGetProperty(FirstCommentKey, out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return new TargetContent(platform, format, items,
            Text("caption", publication.Caption), Text("title", publication.Title), options.ValueKind == JsonValueKind.Undefined ? default : options.Clone())
        {
            FirstComment = FirstCommentOf(platform, format, Text(FirstCommentKey, null), publicationComment),
        };
    }

    /// <summary>The format of the target on <paramref name="connectionId"/> (its own, or the platform's default for the media), without unsealing any URL.</summary>
    public static string FormatOf(Publication publication, Guid connectionId, string platform) =>
        Read(publication, connectionId, platform, UnsealedUrls(null, publication)).Format;

    /// <summary>The full URLs sealed together when a publication with several items has any secret in them.</summary>
    public static string SealList(IEnumerable<string> urls) => JsonSerializer.Serialize(urls);

    /// <summary>The full URLs of a publication's items: the sealed text is one URL, or a JSON list of them (<see cref="SealList"/>).</summary>
    public static IReadOnlyList<string> UnsealedUrls(string? unsealed, Publication publication)
    {
        if (publication.MediaType == MediaTypes.None)
            return [];
        if (unsealed is not null)
            return unsealed.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(unsealed)! : [unsealed];
        var root = publication.Options?.RootElement ?? default;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(MediaKey, out var media) && media.ValueKind == JsonValueKind.Array)
            return media.EnumerateArray().Select(i => i.GetProperty("url").GetString()!).ToArray();
        return [publication.MediaUrl];
    }

    /// <summary>The overrides object of one target as stored (null properties left out), or null when there are none.</summary>
    public static JsonObject? Overrides(string? format, string? caption, string? title, IEnumerable<(string Platform, JsonNode? Options)> options, string? firstComment = null)
    {
        var o = new JsonObject();
        if (format is not null) o["format"] = format;
        if (caption is not null) o["caption"] = caption;
        if (title is not null) o["title"] = title;
        if (firstComment is not null) o[FirstCommentKey] = firstComment;
        foreach (var (platform, value) in options)
            if (value is not null) o[platform] = value;
        return o.Count == 0 ? null : o;
    }
}
