namespace Orbyt.Sandbox.State;

public sealed class YouTubeChannel
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string CustomUrl { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>
    /// Whether the channel may set custom thumbnails (§15.2: phone verification / "intermediate features"); without it
    /// thumbnails.set answers 403 forbidden.
    /// </summary>
    public bool CustomThumbnails { get; init; } = true;
}
