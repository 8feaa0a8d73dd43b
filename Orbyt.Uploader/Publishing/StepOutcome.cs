using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;

namespace Orbyt.Uploader.Publishing;

/// <summary>What one run of a recipe step decided.</summary>
public abstract record StepOutcome
{
    /// <summary>The post is live.</summary>
    public sealed record Published(string? PostId, string? Permalink) : StepOutcome;

    /// <summary>Nothing wrong: come back later (platform processing, a rendition not ready, a rate-limit window).</summary>
    public sealed record Wait(TimeSpan Delay, string Stage, JobError? Reason = null) : StepOutcome;

    /// <summary>A transient failure: retry with backoff while the job's budget lasts, then fail retryable.</summary>
    public sealed record Retry(JobError Error, TimeSpan? After = null) : StepOutcome;

    /// <summary>Terminal failure.</summary>
    public sealed record Failed(JobError Error) : StepOutcome;

    public static Failed Fail(ErrorDefinition error, PlatformErrorDetail? platform = null, string? message = null) => new(JobError.From(error, platform, message));
}
