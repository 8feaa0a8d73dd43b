namespace Orbyt.Sandbox.State;

public sealed class InstagramContainer
{
    public required string Id { get; init; }
    public required string IgUserId { get; init; }
    public required string MediaType { get; init; }
    public string? Caption { get; init; }
    public bool IsCarouselItem { get; init; }
    /// <summary>A video (video_url or resumable bytes), whatever its media_type (REELS, VIDEO, STORIES).</summary>
    public bool IsVideo { get; init; }
    /// <summary>alt_text of an image (feed or carousel child), reference §13.5.</summary>
    public string? AltText { get; init; }
    public IReadOnlyList<string> Children { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; set; }
    public int? ErrorSubcode { get; set; }
    public string? Sha256 { get; set; }
    public long ByteLength { get; set; }
    public string? PublishedMediaId { get; set; }
    public ReceivedMedia? Resumable { get; set; }
    /// <summary>share_to_feed, cover, thumb_offset, collaborators, location and user tags as accepted (§13.1, §13.4).</summary>
    public ContainerOptions Options { get; init; } = new();
    public long? ResumableSize { get; set; }
}
