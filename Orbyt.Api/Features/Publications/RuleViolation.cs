using Orbyt.Api.Problems;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Publications;

/// <summary>One rule a publication breaks: the catalog error and why. Create throws it; the dry run lists it.</summary>
public sealed record RuleViolation(ErrorDefinition Error, string Detail)
{
    public ApiProblemException ToException() => new(Error, Detail);
}
