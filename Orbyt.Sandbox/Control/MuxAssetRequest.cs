namespace Orbyt.Sandbox.Control;

public sealed record MuxAssetRequest
{
    public long SizeBytes { get; init; } = 1024 * 1024;
    public double ReadyAfterSeconds { get; init; }
    public long? ThroughputBytesPerSecond { get; init; }
    public string Rendition { get; init; } = "highest";
}
