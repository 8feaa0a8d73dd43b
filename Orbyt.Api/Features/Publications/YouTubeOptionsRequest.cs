namespace Orbyt.Api.Features.Publications;

public sealed class YouTubeOptionsRequest
{
    /// <summary>public, unlisted or private (default private).</summary>
    public string? PrivacyStatus { get; set; }
    public List<string>? Tags { get; set; }
    public string? CategoryId { get; set; }
    public bool? MadeForKids { get; set; }
    /// <summary>Default false: do not notify subscribers.</summary>
    public bool? NotifySubscribers { get; set; }
}
