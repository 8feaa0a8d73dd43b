namespace Orbyt.Sandbox.State;

public sealed class YouTubeChannel
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string CustomUrl { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
}
