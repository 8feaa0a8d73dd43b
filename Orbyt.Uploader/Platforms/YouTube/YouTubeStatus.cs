using Newtonsoft.Json;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeStatus
{
    [JsonProperty("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonProperty("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
    [JsonProperty("uploadStatus")] public string? UploadStatus { get; set; }
}
