using Orbyt.Core.Media;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// What <see cref="MediaChecks"/> found about a media URL: the first rule the URL itself breaks (policy, expiry, the
/// host refusing it), the rule the file breaks per platform, and what the probe saw (null when it did not run or did
/// not finish in time).
/// </summary>
public sealed record MediaVerdict
{
    public RuleViolation? UrlViolation { get; init; }
    public IReadOnlyDictionary<string, RuleViolation> ByPlatform { get; init; } = new Dictionary<string, RuleViolation>();
    public MediaProbeResult? Probe { get; init; }
    /// <summary>The probe did not finish within <see cref="MediaOptions.CreateProbeTimeout"/>; the Uploader probes again.</summary>
    public bool ProbeTimedOut { get; init; }
    /// <summary>A signed URL's <c>exp</c>.</summary>
    public DateTimeOffset? UrlExpiresAt { get; init; }

    public MediaFacts? Facts => (Probe as MediaProbeResult.Ready)?.Facts;
}
