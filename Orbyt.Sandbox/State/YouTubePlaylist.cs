namespace Orbyt.Sandbox.State;

/// <summary>A channel's playlist, made through the control API (the sandbox serves no playlists.insert).</summary>
public sealed class YouTubePlaylist
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required string Title { get; init; }

    /// <summary>playlistContainsMaximumNumberOfVideos beyond this (YouTube Help: 5,000 videos per playlist).</summary>
    public int MaxItems { get; init; } = 5000;

    public List<YouTubePlaylistItem> Items { get; } = [];
}

public sealed record YouTubePlaylistItem(string Id, string VideoId, int Position, DateTimeOffset AddedAt);
