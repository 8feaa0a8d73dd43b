using Orbyt.Core.Errors;

namespace Orbyt.Api.Problems;

/// <summary>Thrown anywhere in request handling to answer with a catalog problem.</summary>
public sealed class ApiProblemException(ErrorDefinition error, string? detail = null, Dictionary<string, string[]>? errors = null)
    : Exception(detail ?? error.Title)
{
    public ErrorDefinition Error { get; } = error;
    public string? Detail { get; } = detail;
    public Dictionary<string, string[]>? Errors { get; } = errors;
}
