using System.Text.Json.Serialization;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeStatus
{
    [JsonPropertyName("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonPropertyName("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
    [JsonPropertyName("uploadStatus")] public string? UploadStatus { get; set; }
    /// <summary>§15.4: when YouTube makes a private video public (RFC 3339, UTC); only with privacyStatus private.</summary>
    [JsonPropertyName("publishAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PublishAt { get; set; }
    /// <summary>§15.5: the altered or synthetic media disclosure (writable since 2024-10-30).</summary>
    [JsonPropertyName("containsSyntheticMedia"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? ContainsSyntheticMedia { get; set; }
}
