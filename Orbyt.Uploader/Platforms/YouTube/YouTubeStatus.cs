using System.Text.Json.Serialization;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeStatus
{
    [JsonPropertyName("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonPropertyName("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
    [JsonPropertyName("uploadStatus")] public string? UploadStatus { get; set; }
}
