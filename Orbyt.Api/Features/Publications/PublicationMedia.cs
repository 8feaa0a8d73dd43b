using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

public sealed class PublicationMedia
{
    /// <summary>image or video.</summary>
    [JsonRequired] public string Type { get; set; } = "";
    /// <summary>https URL of the file (a Mux MP4 URL such as https://stream.mux.com/{playback_id}/highest.mp4 for videos).</summary>
    [JsonRequired, System.ComponentModel.DataAnnotations.MinLength(1)] public string Url { get; set; } = "";
    /// <summary>Images only: a description for people using screen readers (Instagram alt_text, Facebook alt_text_custom); at most 1,000 characters.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(CreatePublicationValidator.MaxAltText)] public string? AltText { get; set; }
}
