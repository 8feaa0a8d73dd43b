namespace Orbyt.Core.Media;

/// <summary>
/// What a probe learned about a media file without downloading it: its length and format (from the first bytes, then
/// the Content-Type), the image's pixel size, and for MP4/MOV what the <c>moov</c> box says — duration, the video
/// track's display size and codec, the audio codec, and whether <c>moov</c> comes before the media data.
/// Null members are unknown.
/// </summary>
public sealed record MediaFacts
{
    public long? Length { get; init; }
    public string? ContentType { get; init; }
    public MediaFormat Format { get; init; }
    /// <summary>True when the format came from the first bytes, false when only the Content-Type named it.</summary>
    public bool FormatFromBytes { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public TimeSpan? Duration { get; init; }
    /// <summary>The video track's sample entry (avc1, hvc1, vp09, av01 …).</summary>
    public string? VideoCodec { get; init; }
    /// <summary>The audio track's sample entry (mp4a, Opus, ac-3 …).</summary>
    public string? AudioCodec { get; init; }
    /// <summary>For MP4/MOV: whether a <c>moov</c> box was found at all.</summary>
    public bool? HasMovieBox { get; init; }
    /// <summary>For MP4/MOV: <c>moov</c> before <c>mdat</c> ("fast start").</summary>
    public bool? MovieBoxFirst { get; init; }

    /// <summary>Width / height, when both are known.</summary>
    public double? AspectRatio => Width is > 0 && Height is > 0 ? (double)Width.Value / Height.Value : null;
}
