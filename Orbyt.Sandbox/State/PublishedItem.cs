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
}
