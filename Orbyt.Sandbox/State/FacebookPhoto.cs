namespace Orbyt.Sandbox.State;

/// <summary>
/// A photo uploaded to a Page with <c>published=false</c> (reference §12.2): no post of its own, to be attached once to a
/// <c>/feed</c> post (<c>attached_media</c>) or made a photo story (§12.5).
/// </summary>
public sealed class FacebookPhoto
{
    public required string Id { get; init; }
    public required string PageId { get; init; }
    public required long ByteLength { get; init; }
    public required string? Sha256 { get; init; }
    public string? AltText { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>The post (or story) this photo went out in; a second use is refused (subcode 1366051).</summary>
    public string? UsedBy { get; set; }
}
