using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;

namespace Orbyt.Uploader.Publishing;

/// <summary>What one run of a recipe step decided.</summary>
public abstract record StepOutcome
{
    /// <summary>The post is live; <paramref name="PrivacyStatus"/> and <paramref name="Warnings"/> say what the platform applied where it can differ from what was asked.</summary>
    public sealed record Published(string? PostId, string? Permalink, string? PrivacyStatus = null, IReadOnlyList<JobWarning>? Warnings = null) : StepOutcome;

    /// <summary>Nothing wrong: come back later (platform processing, a rendition not ready, a rate-limit window).</summary>
    public sealed record Wait(TimeSpan Delay, string Stage, JobError? Reason = null) : StepOutcome;

    /// <summary>A transient failure: retry with backoff while the job's budget lasts, then fail retryable.</summary>
    public sealed record Retry(JobError Error, TimeSpan? After = null) : StepOutcome;

    /// <summary>Terminal failure.</summary>
    public sealed record Failed(JobError Error) : StepOutcome;

    public static Failed Fail(ErrorDefinition error, PlatformErrorDetail? platform = null, string? message = null) => new(JobError.From(error, platform, message));
}
