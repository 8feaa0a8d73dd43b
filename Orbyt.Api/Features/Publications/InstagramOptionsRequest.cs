namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Instagram's container options (reference §13.1, §13.4). Each goes only on the formats that take it; anywhere else
/// the publication is refused with <c>instagram_option_not_supported</c> (share_to_feed alone is ignored off a Reel, as
/// it always was).
/// </summary>
public sealed class InstagramOptionsRequest
{
    /// <summary>Reels only: also show in the feed (default true).</summary>
    public bool? ShareToFeed { get; set; }

    /// <summary>
    /// Reels only: the cover image, fetched by Meta — an https URL on an allowed media host (as media URLs, not signed),
    /// a JPEG of at most 8 MB (9:16 recommended). It wins over thumb_offset.
    /// </summary>
    public string? CoverUrl { get; set; }

    /// <summary>Reels only: the frame used as the cover, in milliseconds from the start; at least 0 and less than the video's duration (default 0).</summary>
    public long? ThumbOffset { get; set; }

    /// <summary>
    /// Feed images, carousels and Reels: up to 3 Instagram usernames (without @) invited as collaborators; each must be a
    /// public professional account and accept the invitation in Instagram.
    /// </summary>
    public List<string>? Collaborators { get; set; }

    /// <summary>Feed images, carousels and Reels: the id of a Facebook Page with location data (a place), digits only.</summary>
    public string? LocationId { get; set; }

    /// <summary>
    /// Feed images (x and y required), Reels and stories (x and y optional): up to 20 public Instagram users tagged in
    /// the post. Not on a carousel.
    /// </summary>
    public List<InstagramUserTagRequest>? UserTags { get; set; }
}

/// <summary>One tagged user: a username (without @) and, where the format takes it, the tag's position.</summary>
public sealed class InstagramUserTagRequest
{
    public string Username { get; set; } = "";
    /// <summary>From the left edge, as a fraction of the width (0–1).</summary>
    public double? X { get; set; }
    /// <summary>From the top edge, as a fraction of the height (0–1).</summary>
    public double? Y { get; set; }
}
