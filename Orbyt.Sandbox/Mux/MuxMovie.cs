namespace Orbyt.Sandbox.Mux;

/// <summary>What a sandbox rendition's <c>moov</c> box says: duration, display size, rotation and video codec.</summary>
public sealed record MuxMovie(double DurationSeconds, int Width, int Height, int Rotation, string VideoCodec);
