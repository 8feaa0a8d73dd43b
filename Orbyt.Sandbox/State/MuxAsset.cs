using Orbyt.Sandbox.Mux;

namespace Orbyt.Sandbox.State;

public sealed class MuxAsset
{
    public required string AssetId { get; init; }
    public required string PlaybackId { get; init; }
    /// <summary>public, or signed: every stream and image URL then needs a valid playback token (§16.3).</summary>
    public required string Policy { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset ReadyAt { get; init; }
    public long? ThroughputBytesPerSecond { get; init; }
    public required int Seed { get; init; }
    public required MuxMovie Movie { get; init; }
    public required MuxContent Content { get; init; }
    public string? Sha256 { get; init; }
}
