using Newtonsoft.Json;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>The writable parts of a YouTube video resource we send, and the id we get back.</summary>
public sealed class YouTubeVideo
{
    [JsonProperty("id")] public string? Id { get; set; }
    [JsonProperty("snippet")] public YouTubeSnippet? Snippet { get; set; }
    [JsonProperty("status")] public YouTubeStatus? Status { get; set; }
}
