namespace Orbyt.Api.Features.Publications;

public sealed class InstagramOptionsRequest
{
    /// <summary>Reels only: also show in the feed (default true).</summary>
    public bool? ShareToFeed { get; set; }
}
