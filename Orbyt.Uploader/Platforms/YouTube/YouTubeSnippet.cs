using System.Text.Json.Serialization;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeSnippet
{
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("tags")] public IList<string>? Tags { get; set; }
    [JsonPropertyName("categoryId")] public string? CategoryId { get; set; }
    /// <summary>§15.5: the language of the title and description (BCP-47).</summary>
    [JsonPropertyName("defaultLanguage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DefaultLanguage { get; set; }
    /// <summary>§15.5: the language spoken in the default audio track (BCP-47).</summary>
    [JsonPropertyName("defaultAudioLanguage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DefaultAudioLanguage { get; set; }
}
