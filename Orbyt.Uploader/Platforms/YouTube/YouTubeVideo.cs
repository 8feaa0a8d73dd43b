using System.Text.Json.Serialization;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>The writable parts of a YouTube video resource we send, and the id we get back.</summary>
public sealed class YouTubeVideo
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("snippet")] public YouTubeSnippet? Snippet { get; set; }
    [JsonPropertyName("status")] public YouTubeStatus? Status { get; set; }
}
