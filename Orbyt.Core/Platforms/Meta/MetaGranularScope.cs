using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaGranularScope(
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("target_ids")] string[]? TargetIds);
