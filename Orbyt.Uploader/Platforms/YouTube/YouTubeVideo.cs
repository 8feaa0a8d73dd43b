using Newtonsoft.Json;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>The writable parts of a YouTube video resource we send, and the id we get back.</summary>
public sealed class YouTubeVideo
{
    [JsonProperty("id")] public string? Id { get; set; }
    [JsonProperty("snippet")] public YouTubeSnippet? Snippet { get; set; }
    [JsonProperty("status")] public YouTubeStatus? Status { get; set; }
}

public sealed class YouTubeSnippet
{
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("description")] public string? Description { get; set; }
    [JsonProperty("tags")] public IList<string>? Tags { get; set; }
    [JsonProperty("categoryId")] public string? CategoryId { get; set; }
}

public sealed class YouTubeStatus
{
    [JsonProperty("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonProperty("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
    [JsonProperty("uploadStatus")] public string? UploadStatus { get; set; }
}
