using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Core.Media;

/// <summary>
/// Each target's media specification, checked against what a probe found — at create time when the file is ready,
/// and by the Uploader before any platform call — so a file the platform would refuse fails with a specific code
/// instead of a late platform error. Unknown facts pass: only what the probe saw can break a rule.
/// Sources (platform reference sections): Instagram §3.7/§13.8, Facebook §2.2/§2.3, YouTube upload limits.
/// </summary>
public static class MediaSpecs
{
    public const long InstagramImageMaxBytes = 8L * 1024 * 1024;          // "It should be less than 8 MiB" (36000/2207004)
    public const double InstagramImageMinRatio = 4.0 / 5.0;               // 4:5
    public const double InstagramImageMaxRatio = 1.91;                     // 1.91:1
    public const long InstagramReelMaxBytes = 300L * 1024 * 1024;          // 300 MB
    public static readonly TimeSpan InstagramReelMinDuration = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan InstagramReelMaxDuration = TimeSpan.FromMinutes(15);
    public const int InstagramReelMaxWidth = 1920;
    public const double InstagramReelMinRatio = 0.01;
    public const double InstagramReelMaxRatio = 10.0;
    public const long InstagramStoryVideoMaxBytes = 100L * 1024 * 1024;   // §13.8: story video ≤ 100 MB
    public static readonly TimeSpan InstagramStoryMaxDuration = TimeSpan.FromSeconds(60); // §13.8: story video 3–60 s
    public const double InstagramStoryMinRatio = 0.1;                      // §13.8: story video 0.1:1 – 10:1
    public const long FacebookPhotoMaxBytes = 10L * 1024 * 1024;           // "≤ 10 MB"
    public const long FacebookVideoMaxBytes = 10L * 1024 * 1024 * 1024;   // 10 GB
    public static readonly TimeSpan FacebookVideoMaxDuration = TimeSpan.FromHours(4);
    public static readonly TimeSpan FacebookReelMinDuration = TimeSpan.FromSeconds(3);    // §2.4, §12.4: 3–90 s
    public static readonly TimeSpan FacebookReelMaxDuration = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan FacebookVideoStoryMaxDuration = TimeSpan.FromSeconds(60); // §12.5
    public const double FacebookReelMinRatio = 9.0 / 16.0;                 // "between 16x9 and 9x16"
    public const double FacebookReelMaxRatio = 16.0 / 9.0;
    public const long YouTubeVideoMaxBytes = 256L * 1024 * 1024 * 1024;  // 256 GB
    public static readonly TimeSpan YouTubeVideoMaxDuration = TimeSpan.FromHours(12);

    /// <summary>
    /// A YouTube custom thumbnail (§6.6, §15.2): JPEG or PNG; Orbyt sends at most 2 MB (the discovery document's limit —
    /// the revision history of 2026-09-14 raised YouTube's to 50 MB) and at least 640 px wide (YouTube's guidance,
    /// 1280×720 recommended).
    /// </summary>
    public const long YouTubeThumbnailMaxBytes = 2L * 1024 * 1024;
    public const int YouTubeThumbnailMinWidth = 640;

    /// <summary>Why this image cannot be a YouTube custom thumbnail, or null; unknown facts pass.</summary>
    public static string? CheckYouTubeThumbnail(MediaFacts f)
    {
        if (f.Format is not (MediaFormat.Jpeg or MediaFormat.Png))
            return $"youtube.thumbnail_url must be a JPEG or PNG; the file is {Describe(f)}.";
        if (f.Length > YouTubeThumbnailMaxBytes)
            return $"youtube.thumbnail_url may be at most 2 MB; the file has {f.Length} bytes.";
        if (f.Width < YouTubeThumbnailMinWidth)
            return $"youtube.thumbnail_url must be at least {YouTubeThumbnailMinWidth} px wide (1280×720 recommended); the image is {f.Width}×{f.Height}.";
        return null;
    }

    private static readonly string[] InstagramVideoCodecs = ["avc1", "avc3", "hvc1", "hev1"];

    /// <summary>
    /// The first rule the file breaks for this platform and media type, whatever the format, or null: for Instagram what
    /// every format needs (a JPEG of ≤ 8 MiB; a video within the Reel's 3 s – 15 min, 300 MB, 1920 px, 0.01:1 – 10:1, the
    /// widest of its formats). The format's own rules are in <see cref="Check(string, string, string, MediaFacts)"/>.
    /// </summary>
    public static (ErrorDefinition Error, string Detail)? Check(string platform, string mediaType, MediaFacts facts)
    {
        var format = facts.Format;
        if (mediaType == MediaTypes.Image && format.IsVideo() || mediaType == MediaTypes.Video && format.IsImage())
            return (ErrorCatalog.MediaUnsupportedFormat, $"media.type is {mediaType} but the file is {format.MimeType()}.");
        if (format.IsIsoBmff() && facts.HasMovieBox == false)
            return (ErrorCatalog.MediaUnsupportedFormat, "The MP4 has no moov box: it cannot be played.");
        return (platform, mediaType) switch
        {
            (PlatformNames.Instagram, MediaTypes.Image) => InstagramImage(facts),
            (PlatformNames.Instagram, _) => InstagramReel(facts),
            (PlatformNames.Facebook, MediaTypes.Image) => FacebookPhoto(facts),
            (PlatformNames.Facebook, _) => FacebookVideo(facts),
            (PlatformNames.YouTube, _) => YouTubeVideo(facts),
            _ => null,
        };
    }

    /// <summary>
    /// The platform's rules (<see cref="Check(string, string, MediaFacts)"/>: what every format of the platform needs),
    /// then what the target's format adds: a Facebook reel lasts 3–90 s and is between 16:9 and 9:16 (reference §2.4,
    /// §12.4); a Facebook video story lasts at most 60 s (§12.5); an Instagram feed image (and carousel image) is between
    /// 4:5 and 1.91:1; an Instagram story video lasts 3–60 s, is at most 100 MB and between 0.1:1 and 10:1 (§13.8).
    /// </summary>
    public static (ErrorDefinition Error, string Detail)? Check(string platform, string format, string mediaType, MediaFacts facts) =>
        Check(platform, mediaType, facts) ?? (platform, format, mediaType) switch
        {
            (PlatformNames.Facebook, "reel", MediaTypes.Video) => FacebookReel(facts),
            (PlatformNames.Facebook, "story", MediaTypes.Video) when facts.Duration > FacebookVideoStoryMaxDuration =>
                (ErrorCatalog.MediaDurationOutOfRange, $"A Facebook video story may last at most 60 seconds; the video lasts {facts.Duration.Value.TotalSeconds:0.###} s."),
            (PlatformNames.Instagram, "feed", MediaTypes.Image) => InstagramFeedImage(facts),
            (PlatformNames.Instagram, "story", MediaTypes.Video) => InstagramStoryVideo(facts),
            _ => null,
        };

    /// <summary>An Instagram Reel's cover (§13.4): a JPEG of at most 8 MB, as Meta fetches it; null when it is one (unknown facts pass).</summary>
    public static string? CheckInstagramCover(MediaFacts f)
    {
        if (f.Format != MediaFormat.Jpeg)
            return $"instagram.cover_url must be a JPEG; the file is {Describe(f)}.";
        if (f.Length > InstagramImageMaxBytes)
            return $"instagram.cover_url may be at most 8 MB; the file has {f.Length} bytes.";
        return null;
    }

    private static (ErrorDefinition, string)? InstagramFeedImage(MediaFacts f) =>
        f.AspectRatio is { } ratio && (ratio < InstagramImageMinRatio - 0.005 || ratio > InstagramImageMaxRatio + 0.005)
            ? (ErrorCatalog.MediaAspectRatioUnsupported, $"Instagram feed images must be between 4:5 and 1.91:1; the image is {f.Width}×{f.Height}.")
            : null;

    private static (ErrorDefinition, string)? InstagramStoryVideo(MediaFacts f)
    {
        if (f.Length > InstagramStoryVideoMaxBytes)
            return (ErrorCatalog.MediaTooLarge, $"Instagram story videos may be at most 100 MB; the file has {f.Length} bytes.");
        if (f.Duration is { } d && d > InstagramStoryMaxDuration)
            return (ErrorCatalog.MediaDurationOutOfRange, $"Instagram story videos must last 3 to 60 seconds; the video lasts {d.TotalSeconds:0.###} s.");
        if (f.AspectRatio is { } ratio && ratio < InstagramStoryMinRatio)
            return (ErrorCatalog.MediaAspectRatioUnsupported, $"Instagram story videos must be between 0.1:1 and 10:1; the video is {f.Width}×{f.Height}.");
        return null;
    }

    private static (ErrorDefinition, string)? FacebookReel(MediaFacts f)
    {
        if (f.Duration is { } d && (d < FacebookReelMinDuration || d > FacebookReelMaxDuration))
            return (ErrorCatalog.MediaDurationOutOfRange, $"Facebook reels must last 3 to 90 seconds; the video lasts {d.TotalSeconds:0.###} s.");
        if (f.AspectRatio is { } ratio && (ratio < FacebookReelMinRatio - 0.01 || ratio > FacebookReelMaxRatio + 0.01))
            return (ErrorCatalog.MediaAspectRatioUnsupported, $"Facebook reels must be between 16:9 and 9:16; the video is {f.Width}×{f.Height}.");
        return null;
    }

    private static (ErrorDefinition, string)? InstagramImage(MediaFacts f)
    {
        if (f.Format != MediaFormat.Jpeg)
            return (ErrorCatalog.MediaUnsupportedFormat, $"Instagram images must be JPEG; the file is {Describe(f)}.");
        if (f.Length > InstagramImageMaxBytes)
            return (ErrorCatalog.MediaTooLarge, $"Instagram images may be at most 8 MiB; the file has {f.Length} bytes.");
        // The shape depends on the format: a feed image is 4:5 … 1.91:1, a story image is not held to it (§13.8).
        return null;
    }

    private static (ErrorDefinition, string)? InstagramReel(MediaFacts f)
    {
        if (!f.Format.IsIsoBmff())
            return (ErrorCatalog.MediaUnsupportedFormat, $"Instagram videos (Reels, stories, carousel videos) must be MP4 or MOV; the file is {Describe(f)}.");
        if (f.Length > InstagramReelMaxBytes)
            return (ErrorCatalog.MediaTooLarge, $"Instagram videos may be at most 300 MB (a Reel; a story 100 MB); the file has {f.Length} bytes.");
        if (f.Duration is { } d && (d < InstagramReelMinDuration || d > InstagramReelMaxDuration))
            return (ErrorCatalog.MediaDurationOutOfRange, $"Instagram videos must last 3 seconds to 15 minutes (a Reel; a story at most 60 s); the video lasts {d.TotalSeconds:0.###} s.");
        if (f.Width > InstagramReelMaxWidth)
            return (ErrorCatalog.MediaResolutionUnsupported, $"Instagram videos may be at most {InstagramReelMaxWidth} px wide; the video is {f.Width}×{f.Height}.");
        if (f.AspectRatio is { } ratio && (ratio < InstagramReelMinRatio || ratio > InstagramReelMaxRatio))
            return (ErrorCatalog.MediaAspectRatioUnsupported, $"Instagram videos must be between 0.01:1 and 10:1 (a story 0.1:1); the video is {f.Width}×{f.Height}.");
        if (f.VideoCodec is { } codec && !InstagramVideoCodecs.Contains(codec))
            return (ErrorCatalog.MediaUnsupportedFormat, $"Instagram videos must be H.264 or HEVC; the video track is {codec}.");
        return null;
    }

    private static (ErrorDefinition, string)? FacebookPhoto(MediaFacts f)
    {
        if (!f.Format.IsImage())
            return (ErrorCatalog.MediaUnsupportedFormat, $"Facebook photos must be JPEG, PNG, GIF, BMP, TIFF or WebP; the file is {Describe(f)}.");
        if (f.Length > FacebookPhotoMaxBytes)
            return (ErrorCatalog.MediaTooLarge, $"Facebook photos may be at most 10 MB; the file has {f.Length} bytes.");
        return null;
    }

    private static (ErrorDefinition, string)? FacebookVideo(MediaFacts f)
    {
        if (!f.Format.IsIsoBmff())
            return (ErrorCatalog.MediaUnsupportedFormat, $"Facebook Page videos must be MP4 or MOV; the file is {Describe(f)}.");
        if (f.Length > FacebookVideoMaxBytes)
            return (ErrorCatalog.MediaTooLarge, $"Facebook Page videos may be at most 10 GB; the file has {f.Length} bytes.");
        if (f.Duration > FacebookVideoMaxDuration)
            return (ErrorCatalog.MediaDurationOutOfRange, $"Facebook Page videos may last at most 4 hours; the video lasts {f.Duration.Value.TotalMinutes:0.#} min.");
        return null;
    }

    private static (ErrorDefinition, string)? YouTubeVideo(MediaFacts f)
    {
        // YouTube takes many containers; only what is certainly not a video is refused.
        if (f.FormatFromBytes && !f.Format.IsVideo())
            return (ErrorCatalog.MediaUnsupportedFormat, $"YouTube needs a video file; the file is {Describe(f)}.");
        if (f.Length > YouTubeVideoMaxBytes)
            return (ErrorCatalog.MediaTooLarge, $"YouTube videos may be at most 256 GB; the file has {f.Length} bytes.");
        if (f.Duration > YouTubeVideoMaxDuration)
            return (ErrorCatalog.MediaDurationOutOfRange, $"YouTube videos may last at most 12 hours; the video lasts {f.Duration.Value.TotalHours:0.#} h.");
        return null;
    }

    private static string Describe(MediaFacts f) =>
        f.Format != MediaFormat.Unknown ? f.Format.MimeType() : f.ContentType is { Length: > 0 } type ? $"of an unknown format ({type})" : "of an unknown format";
}
