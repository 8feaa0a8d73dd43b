using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

public sealed class PublicationTarget
{
    /// <summary>The connection to publish to (one of the user's connections).</summary>
    [JsonRequired] public Guid ConnectionId { get; set; }
}
