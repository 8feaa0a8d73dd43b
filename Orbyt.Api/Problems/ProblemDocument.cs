using System.Text.Json.Serialization;

namespace Orbyt.Api.Problems;

/// <summary>An RFC 9457 problem document with Orbyt's extension members; every API error has this shape.</summary>
public sealed record ProblemDocument
{
    /// <summary>A URI reference identifying the error; resolves to the catalog entry (<c>/v1/errors/{code}</c>).</summary>
    public required string Type { get; init; }
    public required string Title { get; init; }
    public required int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    /// <summary>Stable snake_case error code from the catalog.</summary>
    public required string Code { get; init; }
    public required bool Retryable { get; init; }
    public required bool ReauthRequired { get; init; }
    public string? TraceId { get; init; }
    /// <summary>Validation errors by field (snake_case paths).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string[]>? Errors { get; init; }
}
