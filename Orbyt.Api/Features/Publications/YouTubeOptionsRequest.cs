namespace Orbyt.Api.Features.Publications;

public sealed class YouTubeOptionsRequest
{
    /// <summary>public, unlisted or private (default private).</summary>
    public string? PrivacyStatus { get; set; }
    public List<string>? Tags { get; set; }
    public string? CategoryId { get; set; }
    public bool? MadeForKids { get; set; }
    /// <summary>Default false: do not notify subscribers.</summary>
    public bool? NotifySubscribers { get; set; }
    /// <summary>
    /// A custom thumbnail, set with thumbnails.set after the upload: an https URL on an allowed media host (as media
    /// URLs), a JPEG or PNG of at most 2 MB and at least 640 px wide (1280×720 recommended). The channel must be allowed
    /// custom thumbnails; if setting it fails, the video is still published and the job result says why.
    /// </summary>
    public string? ThumbnailUrl { get; set; }
    /// <summary>
    /// Adds the video to this playlist of the channel after the upload (playlistItems.insert). Needs a connection made
    /// with <c>features: ["youtube_playlists"]</c> (the youtube.force-ssl scope).
    /// </summary>
    public string? PlaylistId { get; set; }
    /// <summary>The video contains realistic altered or synthetic media (YouTube's disclosure, status.containsSyntheticMedia).</summary>
    public bool? ContainsSyntheticMedia { get; set; }
    /// <summary>Language of the title and description, a BCP-47 tag (en, pt-BR).</summary>
    public string? DefaultLanguage { get; set; }
    /// <summary>Language spoken in the video's default audio track, a BCP-47 tag.</summary>
    public string? DefaultAudioLanguage { get; set; }
    /// <summary>
    /// YouTube's own scheduled release (status.publishAt): the video is uploaded now as private and YouTube makes it
    /// public at this time (RFC 3339 with offset, in the future). Only with privacy_status private (or left out), and not
    /// together with Orbyt's publish_at on the same target.
    /// </summary>
    public string? PublishAt { get; set; }
}
