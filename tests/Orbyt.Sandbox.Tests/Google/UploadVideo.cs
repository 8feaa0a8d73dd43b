using Newtonsoft.Json;

namespace Orbyt.Sandbox.Tests;

public sealed class UploadVideo
{
    [JsonProperty("id")] public string? Id { get; set; }
    [JsonProperty("snippet")] public UploadSnippet? Snippet { get; set; }
    [JsonProperty("status")] public UploadVideoStatus? Status { get; set; }
}
