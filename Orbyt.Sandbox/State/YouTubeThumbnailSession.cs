namespace Orbyt.Sandbox.State;

/// <summary>A resumable thumbnails.set session (§15.2: the resumable form exists as for videos).</summary>
public sealed class YouTubeThumbnailSession
{
    public required string Id { get; init; }
    public required string Sub { get; init; }
    public required string VideoId { get; init; }
    public required string Path { get; init; }
    public long? TotalLength { get; set; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public ReceivedMedia Media { get; } = new();
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The first bytes, to tell JPEG and PNG from anything else.</summary>
    public byte[] Head { get; } = new byte[8];
    public int HeadLength { get; set; }

    /// <summary>Set once the image was complete and accepted: later PUTs answer the same response.</summary>
    public bool Done { get; set; }
}
