namespace Orbyt.Sandbox.State;

public sealed class FacebookVideo
{
    public required string Id { get; init; }
    public required string PageId { get; init; }
    public required bool IsReel { get; init; }
    /// <summary>A video story (/video_stories, reference §12.5): published by its finish call, answered with a post_id.</summary>
    public bool IsStory { get; init; }
    public string? StoryPostId { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public long? ExpectedBytes { get; set; }
    public ReceivedMedia Media { get; } = new();
    public string? Sha256 { get; set; }
    public long ByteLength { get; set; }
    public DateTimeOffset? UploadedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public string? ProcessingError { get; set; }
    public string? VideoState { get; set; }
    public bool Published { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? LegacySessionId { get; set; }
}
