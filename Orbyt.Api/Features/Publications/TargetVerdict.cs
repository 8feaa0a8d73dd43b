namespace Orbyt.Api.Features.Publications;

/// <summary>What the rules found for one target: its platform (null when the connection is not this user's), errors and warnings.</summary>
public sealed record TargetVerdict(Guid ConnectionId, string? Platform)
{
    public List<RuleViolation> Errors { get; } = [];
    public List<RuleWarning> Warnings { get; } = [];
}
