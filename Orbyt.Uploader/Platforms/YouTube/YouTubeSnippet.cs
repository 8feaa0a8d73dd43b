using System.Text.Json.Serialization;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeSnippet
{
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("tags")] public IList<string>? Tags { get; set; }
    [JsonPropertyName("categoryId")] public string? CategoryId { get; set; }
}
