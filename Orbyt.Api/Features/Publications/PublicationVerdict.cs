namespace Orbyt.Api.Features.Publications;

/// <summary>
/// What <see cref="PublicationRules"/> found: the request-wide violations (callback URL, media URL), each target's, the
/// media probe's findings, and every violation in the order the rules met them — create answers the first.
/// </summary>
public sealed record PublicationVerdict
{
    public List<RuleViolation> Errors { get; } = [];
    public List<TargetVerdict> Targets { get; } = [];
    public MediaVerdict? Media { get; set; }
    public List<RuleViolation> InOrder { get; } = [];

    public RuleViolation? FirstError => InOrder.Count > 0 ? InOrder[0] : null;

    /// <summary>Each target's platform; only meaningful when no target is unknown.</summary>
    public Dictionary<Guid, string> Platforms => Targets.Where(t => t.Platform is not null).ToDictionary(t => t.ConnectionId, t => t.Platform!);
}
