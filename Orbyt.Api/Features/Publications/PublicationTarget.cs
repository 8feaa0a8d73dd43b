using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

public sealed class PublicationTarget
{
    /// <summary>The connection to publish to (one of the user's connections).</summary>
    [JsonRequired] public Guid ConnectionId { get; set; }
    /// <summary>When this target's post goes live (RFC 3339 with a UTC offset); overrides the publication's <c>publish_at</c>.</summary>
    public string? PublishAt { get; set; }
}
