namespace Orbyt.Sandbox.State;

public sealed class YouTubeVideo
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required YouTubeVideoMetadata Metadata { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }
    public required DateTimeOffset ProcessedAt { get; init; }
    public required string Etag { get; init; }
    public required long ByteLength { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>"failed" or "rejected" when a processing fault was scripted.</summary>
    public string? FinalStatus { get; init; }
    public string? FinalReason { get; init; }
}
