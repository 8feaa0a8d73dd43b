namespace Orbyt.Sandbox.State;

public sealed class YouTubeUploadSession
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required string Sub { get; init; }
    public required string Path { get; init; }
    public long? TotalLength { get; set; }
    public required string ContentType { get; init; }
    public required YouTubeVideoMetadata Metadata { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public ReceivedMedia Media { get; } = new();
    public string? VideoId { get; set; }

    /// <summary>Serialises the PUTs of one session: bytes must arrive in order.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
