using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaDebugTokenError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("subcode")] int? Subcode,
    [property: JsonPropertyName("message")] string? Message);
