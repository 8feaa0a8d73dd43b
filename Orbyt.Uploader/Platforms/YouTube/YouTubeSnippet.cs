using Newtonsoft.Json;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeSnippet
{
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("description")] public string? Description { get; set; }
    [JsonProperty("tags")] public IList<string>? Tags { get; set; }
    [JsonProperty("categoryId")] public string? CategoryId { get; set; }
}
