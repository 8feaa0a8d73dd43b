using Newtonsoft.Json;

namespace Orbyt.Sandbox.Tests;

public sealed class UploadSnippet
{
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("description")] public string? Description { get; set; }
    [JsonProperty("categoryId")] public string? CategoryId { get; set; }
}
