using System.Text.Json.Serialization;

namespace Orbyt.Core.Jobs;

/// <summary>The platform's own error, kept beside ours.</summary>
public sealed record PlatformErrorDetail(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("subcode")] string? Subcode,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("trace_id")] string? TraceId);
