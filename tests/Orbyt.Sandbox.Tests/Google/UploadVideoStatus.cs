using Newtonsoft.Json;

namespace Orbyt.Sandbox.Tests;

public sealed class UploadVideoStatus
{
    [JsonProperty("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonProperty("uploadStatus")] public string? UploadStatusValue { get; set; }
    [JsonProperty("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
}
