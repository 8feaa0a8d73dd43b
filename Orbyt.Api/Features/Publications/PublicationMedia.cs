using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

public sealed class PublicationMedia
{
    /// <summary>image or video.</summary>
    [JsonRequired] public string Type { get; set; } = "";
    /// <summary>https URL of the file (a Mux MP4 URL such as https://stream.mux.com/{playback_id}/highest.mp4 for videos).</summary>
    [JsonRequired] public string Url { get; set; } = "";
}
