namespace Orbyt.Sandbox.State;

/// <summary>What a platform accepted as published: the thing tests assert exactly-once and integrity on.</summary>
public sealed record PublishedItem(
    string Id,
    string Platform,
    string AccountId,
    string Type,
    string? Caption,
    string? Title,
    long ByteLength,
    string? Sha256,
    DateTimeOffset PublishedAt,
    string? Permalink,
    IReadOnlyList<PublishedChild>? Children = null)
{
    /// <summary>The alt text the image was published with (Instagram alt_text, Facebook alt_text_custom).</summary>
    public string? AltText { get; init; }

    /// <summary>Instagram: the container's share_to_feed as sent (Reels, §13.4).</summary>
    public bool? ShareToFeed { get; init; }

    /// <summary>Instagram Reels: SHA-256 and bytes of the cover image Meta fetched from cover_url; it wins over thumb_offset (§13.4).</summary>
    public string? CoverSha256 { get; init; }
    public long? CoverByteLength { get; init; }

    /// <summary>Instagram Reels: the frame (ms into the video) chosen as the cover when no cover_url was given (§13.4).</summary>
    public long? ThumbOffset { get; init; }

    /// <summary>Instagram: the usernames invited as collaborators (§13.4).</summary>
    public IReadOnlyList<string>? Collaborators { get; init; }

    /// <summary>Instagram: the location (a Page with location data) and its name (§13.1).</summary>
    public string? LocationId { get; init; }
    public string? LocationName { get; init; }

    /// <summary>Instagram: the tagged users with their positions where given (§13.1).</summary>
    public IReadOnlyList<UserTag>? UserTags { get; init; }

    /// <summary>The link of a Facebook link post (/feed link, reference §12.1).</summary>
    public string? Link { get; init; }

    /// <summary>
    /// Facebook: the Page post id (<c>{page-id}_{post-id}</c>) of an item whose own id is a photo's: a comment may name
    /// either (reference §12.6).
    /// </summary>
    public string? PostId { get; init; }

    /// <summary>The comments made on the post through the API, oldest first (reference §12.6, §13.6).</summary>
    public List<PublishedComment> Comments { get; init; } = [];

    /// <summary>SHA-256 of the custom thumbnail last set with thumbnails.set (YouTube videos).</summary>
    public string? ThumbnailSha256 { get; set; }

    /// <summary>Bytes of the custom thumbnail last set (YouTube videos).</summary>
    public long? ThumbnailByteLength { get; set; }

    /// <summary>The playlists the video was added to with playlistItems.insert, in order (YouTube videos).</summary>
    public List<string> Playlists { get; } = [];

    /// <summary>YouTube: snippet.defaultLanguage, snippet.defaultAudioLanguage and status.containsSyntheticMedia as inserted.</summary>
    public string? DefaultLanguage { get; init; }
    public string? DefaultAudioLanguage { get; init; }
    public bool? ContainsSyntheticMedia { get; init; }

    /// <summary>YouTube: status.publishAt as inserted (YouTube's own scheduled release, §15.4).</summary>
    public string? PublishAt { get; init; }
}
