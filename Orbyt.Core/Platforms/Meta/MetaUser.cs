using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name);
