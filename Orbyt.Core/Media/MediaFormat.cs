namespace Orbyt.Core.Media;

/// <summary>A file format as its first bytes say (or, failing that, its Content-Type).</summary>
public enum MediaFormat
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
    /// <summary>ISO-BMFF with an MP4 brand (isom, mp41, mp42, avc1, …).</summary>
    Mp4,
    /// <summary>ISO-BMFF with the QuickTime brand (<c>qt  </c>): a .mov.</summary>
    QuickTime,
    /// <summary>Matroska / WebM (EBML header).</summary>
    WebM,
}

public static class MediaFormatExtensions
{
    public static bool IsImage(this MediaFormat format) => format is MediaFormat.Jpeg or MediaFormat.Png or MediaFormat.Gif or MediaFormat.WebP or MediaFormat.Bmp or MediaFormat.Tiff;

    public static bool IsVideo(this MediaFormat format) => format is MediaFormat.Mp4 or MediaFormat.QuickTime or MediaFormat.WebM;

    /// <summary>ISO base media files carry a <c>moov</c> box with the duration, the tracks and their codecs.</summary>
    public static bool IsIsoBmff(this MediaFormat format) => format is MediaFormat.Mp4 or MediaFormat.QuickTime;

    public static string MimeType(this MediaFormat format) => format switch
    {
        MediaFormat.Jpeg => "image/jpeg",
        MediaFormat.Png => "image/png",
        MediaFormat.Gif => "image/gif",
        MediaFormat.WebP => "image/webp",
        MediaFormat.Bmp => "image/bmp",
        MediaFormat.Tiff => "image/tiff",
        MediaFormat.Mp4 => "video/mp4",
        MediaFormat.QuickTime => "video/quicktime",
        MediaFormat.WebM => "video/webm",
        _ => "application/octet-stream",
    };

    /// <summary>The format a Content-Type names, for files whose first bytes say nothing we know.</summary>
    public static MediaFormat FromContentType(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "image/jpeg" or "image/jpg" or "image/pjpeg" => MediaFormat.Jpeg,
        "image/png" => MediaFormat.Png,
        "image/gif" => MediaFormat.Gif,
        "image/webp" => MediaFormat.WebP,
        "image/bmp" => MediaFormat.Bmp,
        "image/tiff" => MediaFormat.Tiff,
        "video/mp4" or "audio/mp4" or "audio/m4a" => MediaFormat.Mp4,
        "video/quicktime" => MediaFormat.QuickTime,
        "video/webm" => MediaFormat.WebM,
        _ => MediaFormat.Unknown,
    };
}
