namespace Orbyt.Sandbox.Control;

/// <summary><c>POST /_sandbox/youtube/playlists</c>: a playlist on a channel, at most <c>max_items</c> videos (default 5,000).</summary>
public sealed record PlaylistRequest(string ChannelId, string? Title, int? MaxItems);
