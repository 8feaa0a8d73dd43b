namespace Orbyt.Sandbox.State;

public sealed class MuxAsset
{
    public required string AssetId { get; init; }
    public required string PlaybackId { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset ReadyAt { get; init; }
    public long? ThroughputBytesPerSecond { get; init; }
    public required int Seed { get; init; }
    public string? Sha256 { get; init; }
}
