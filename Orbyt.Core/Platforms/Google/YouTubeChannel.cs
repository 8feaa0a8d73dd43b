namespace Orbyt.Core.Platforms.Google;

public sealed record YouTubeChannel(string Id, string? Title, string? CustomUrl, string? ThumbnailUrl);
