using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

/// <summary>One connection to publish to, with what this target does differently from the publication.</summary>
public sealed class PublicationTarget
{
    /// <summary>The connection to publish to (one of the user's connections).</summary>
    [JsonRequired] public Guid ConnectionId { get; set; }
    /// <summary>When this target's post goes live (RFC 3339 with a UTC offset); overrides the publication's <c>publish_at</c>.</summary>
    public string? PublishAt { get; set; }
    /// <summary>
    /// What to publish on this target. Facebook: post (default: a text or link post, a photo, several photos, a video), reel
    /// (one video, 3–90 s, 16:9 to 9:16), story (one image, or one video of at most 60 s). Instagram: feed (default for images and lists: an
    /// image or a carousel), reels (default for one video), story. YouTube: video (default).
    /// </summary>
    public string? Format { get; set; }
    /// <summary>This target's text instead of the publication's caption (the platform's rules apply to it).</summary>
    public string? Caption { get; set; }
    /// <summary>This target's title instead of the publication's (YouTube; a Facebook video's title).</summary>
    public string? Title { get; set; }
    /// <summary>
    /// This target's first comment instead of the publication's (Facebook posts and Reels, Instagram feed posts and Reels
    /// only: on a story or a YouTube video it is refused with first_comment_not_supported).
    /// </summary>
    public string? FirstComment { get; set; }
    /// <summary>This target's YouTube options instead of the publication's.</summary>
    public YouTubeOptionsRequest? Youtube { get; set; }
    /// <summary>This target's Instagram options instead of the publication's.</summary>
    public InstagramOptionsRequest? Instagram { get; set; }
    /// <summary>This target's Facebook options instead of the publication's.</summary>
    public FacebookOptionsRequest? Facebook { get; set; }
}
