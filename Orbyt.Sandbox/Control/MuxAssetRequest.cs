namespace Orbyt.Sandbox.Control;

public sealed record MuxAssetRequest
{
    public long SizeBytes { get; init; } = 1024 * 1024;
    /// <summary>Seconds (on the sandbox clock) until the static rendition is ready; until then its URL answers 404.</summary>
    public double ReadyAfterSeconds { get; init; }
    public long? ThroughputBytesPerSecond { get; init; }
    public string Rendition { get; init; } = "highest";
    /// <summary>public or signed (§16.3).</summary>
    public string Policy { get; init; } = "public";
    /// <summary>What the rendition's moov box says (§7, §16): duration, display size, rotation, video codec.</summary>
    public double DurationSeconds { get; init; } = 30;
    public int Width { get; init; } = 1920;
    public int Height { get; init; } = 1080;
    public int Rotation { get; init; }
    public string VideoCodec { get; init; } = "avc1";
    /// <summary>Put the moov box after the media data (a file that was not "fast-started").</summary>
    public bool MoovAtEnd { get; init; }
}
