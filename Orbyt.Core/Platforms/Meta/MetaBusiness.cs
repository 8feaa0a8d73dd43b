using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>A Business Portfolio the person is in (<c>/me/businesses</c>).</summary>
public sealed record MetaBusiness(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name);
