using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Core.Vault;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Runs one step of one job: leases the row (a duplicate stream entry finds it leased or done and does nothing),
/// gets a usable token, runs the platform recipe, and records the outcome — terminal state plus webhook events
/// in one transaction, or the next attempt's time. The stream entry is acknowledged by the caller only after this
/// returns, i.e. after the state is durable.
/// </summary>
public sealed partial class JobRunner(
    OrbytDbContext db,
    ConnectionTokens tokens,
    IServiceScopeFactory scopes,
    IEnumerable<IPublishRecipe> recipes,
    MediaPreflight preflight,
    ITokenVault vault,
    PlatformBudgets budgets,
    JobOutcomeWriter outcomes,
    JobLeases leases,
    WebhookListeners listeners,
    FirstCommentStep firstComment,
    IOptions<UploaderOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    public static readonly ActivitySource Source = new("Orbyt.Uploader");
    private static readonly Meter Meter = new("Orbyt.Uploader");
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("orbyt.jobs.outcomes", description: "Job steps by outcome and platform");

    /// <summary>A step longer than this looks for a webhook endpoint again before it skips its events (about a fan-out's own lag).</summary>
    private static readonly TimeSpan EndpointRecheckAfter = TimeSpan.FromSeconds(1);

    public async Task RunAsync(Guid jobId, string owner, StepSlot slot, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (await leases.LeaseAsync(jobId, owner, ct) is not { } leased)
        {
            Activity.Current?.SetTag("orbyt.job.skipped", "not due, leased or finished");
            return;
        }
        // Tracked from here with the leased row's xmin as its concurrency token.
        var job = db.Jobs.Attach(leased.Job).Entity;
        var loaded = leased.Step;
        var publication = db.Publications.Attach(loaded.Publication).Entity;
        var connection = loaded.Connection;
        connection.Credential = loaded.Credential;
        Activity.Current?.SetTag(JobQueue.JobIdTag, job.Id.ToString());
        Activity.Current?.SetTag(JobQueue.PublicationIdTag, job.PublicationId.ToString());
        Activity.Current?.SetTag("orbyt.platform", job.Platform);
        job.Attempts++;

        var outcome = await RunStepAsync(job, publication, connection, MetaUserId(loaded), slot, ct);
        await RecordAsync(job, loaded, now, outcome, ct);
    }

    /// <summary>
    /// Gets a usable token and runs the platform recipe once. Every failure the job can survive or report becomes an
    /// outcome here; anything else propagates and leaves the stream entry pending.
    /// </summary>
    private async Task<StepOutcome> RunStepAsync(Job job, Publication publication, Connection connection, string? metaUserId, StepSlot slot, CancellationToken ct)
    {
        UsableToken token;
        try
        {
            // An on-demand refresh runs on its own DbContext: the leased job tracked here is untouched.
            token = await tokens.GetAsync(connection, ct);
        }
        catch (ConnectionUnusableException ex)
        {
            return UnusableConnection(ex);
        }

        try
        {
            var recipe = recipes.Single(r => r.Platform == job.Platform);
            // Meta calls draw from the budgets of the Page / Instagram account and the user they are made for.
            using var scope = IsMeta(job.Platform) ? PlatformCallScope.Enter(connection.AccountId, metaUserId) : PlatformCallScope.Enter(null);
            // The full URL (a signed URL's token) is opened here and lives only in memory for this step.
            var urls = TargetContent.UnsealedUrls(publication.MediaUrlSealed is { } sealedUrl ? vault.Unprotect(sealedUrl, VaultPurposes.MediaUrl) : null, publication);
            var content = TargetContent.Read(publication, job.ConnectionId, job.Platform, urls);
            var context = new JobContext(db, job, publication, connection, token, content, slot, time, options.Value.LeaseDuration);
            // A post published by an earlier run goes straight to its first comment: the recipe never runs again.
            if (FirstCommentStep.Resumed(context) is { } resumed)
                return await firstComment.RunAsync(context, resumed, ct);
            // The media is probed before the first hand-off: a file not there yet waits, one out of spec fails here.
            var outcome = await preflight.CheckAsync(context, ct) ?? await recipe.RunAsync(context, ct);
            return outcome is StepOutcome.Published published ? await firstComment.RunAsync(context, published, ct) : outcome;
        }
        catch (PlatformBudgetExhaustedException ex)
        {
            // The call was never sent: come back when the shared budget has room.
            return new StepOutcome.Wait(ex.Wait, JobStages.WaitingRateLimit, BudgetWaitReason(ex));
        }
        catch (MetaApiException ex)
        {
            var outcome = await RateLimitWaitAsync(PlatformErrorClassifier.Classify(ex), connection, metaUserId);
            if (ex.IsInvalidToken || ex.IsPermissionError)
                await FlagConnectionAsync(connection.CredentialId, ex.IsInvalidToken ? $"meta_{ex.Code}_{ex.Subcode}" : "permission_removed", ct);
            return outcome;
        }
        catch (YouTubeApiException ex)
        {
            return PlatformErrorClassifier.ClassifyYouTube(ex.Status, ex.Reason, ex.Message, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogTransient(logger, job.Id, ex.GetType().Name);
            return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable));
        }
    }

    /// <summary>No usable token: a refresh that failed for now is retried; a dead or removed connection fails the job.</summary>
    private static StepOutcome UnusableConnection(ConnectionUnusableException ex) =>
        ex.Error == ErrorCatalog.PlatformUnavailable
            ? new StepOutcome.Retry(JobError.From(ex.Error))
            : StepOutcome.Fail(ex.Error);

    private static bool IsMeta(string platform) => platform is PlatformNames.Facebook or PlatformNames.Instagram;

    /// <summary>The Meta user a Page token was derived from (credential subjects are <c>{flow}:{meta id}</c>).</summary>
    private static string? MetaUserId(StepData step)
    {
        var subject = step.Credential?.Kind == CredentialKinds.MetaUser ? step.Credential.Subject : step.ParentSubject;
        return subject?[(subject.IndexOf(':') + 1)..];
    }

    /// <summary>Why a job waits for a budget: an Instagram account Meta restricted, or pacing to stay inside a limit (which scope, why).</summary>
    private static JobError BudgetWaitReason(PlatformBudgetExhaustedException ex) => ex.Reason == MetaRateLimitSignals.AccountRestricted
        ? JobError.From(ErrorCatalog.PlatformAccountRestricted, new PlatformErrorDetail("4", "2207051",
            "Instagram restricted this account's activity as possible spam; Orbyt pauses publishing to it and tries again later.", null))
        : JobError.From(ErrorCatalog.PlatformRateLimited, new PlatformErrorDetail(null, null,
            $"Orbyt is pacing its {ex.Platform} calls to stay within the platform's limits ({(ex.Scope.Length > 0 ? ex.Scope : ex.Platform)}: {(ex.Reason.Length > 0 ? ex.Reason : "budget")}).", null));

    /// <summary>
    /// A Meta rate-limit error has paused its scope (for the regain time, or the default pause) in the shared budgets:
    /// the job waits exactly that long. A publishing-limit wait looks again at least every MaxWait.
    /// </summary>
    private async Task<StepOutcome> RateLimitWaitAsync(StepOutcome outcome, Connection connection, string? metaUserId)
    {
        if (outcome is not StepOutcome.Wait { Stage: JobStages.WaitingRateLimit } wait) return outcome;
        if (wait.Reason?.Code == ErrorCatalog.InstagramPublishingLimitReached.Code)
            return wait with { Delay = wait.Delay < budgets.Options.MaxWait ? wait.Delay : budgets.Options.MaxWait };
        BudgetScope[] scopes = metaUserId is null
            ? [budgets.MetaAppScope(), budgets.MetaAccountScope(connection.AccountId)]
            : [budgets.MetaAppScope(), PlatformBudgets.Uncounted(MetaRateLimitSignals.UserScope(metaUserId)), budgets.MetaAccountScope(connection.AccountId)];
        var reopens = await budgets.WaitTimeAsync(scopes);
        return wait with { Delay = reopens ?? budgets.Options.DefaultPause };
    }

    /// <summary>Marks the connection's grant dead, in its own scope: the job's outcome is saved by <see cref="RecordAsync"/> alone.</summary>
    private async Task FlagConnectionAsync(Guid? credentialId, string reason, CancellationToken ct)
    {
        if (credentialId is null) return;
        await using var scope = scopes.CreateAsyncScope();
        var flagDb = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        var refresher = scope.ServiceProvider.GetRequiredService<CredentialRefresher>();
        await flagDb.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            flagDb.ChangeTracker.Clear();
            await using var tx = await flagDb.Database.BeginTransactionAsync(ct);
            // Under the grant's row lock (the root's, as the refresher's check takes it before its Page tokens'): one of
            // them flags the grant, the other finds it done.
            var parent = await flagDb.Credentials.Where(c => c.Id == credentialId).Select(c => c.ParentCredentialId).SingleOrDefaultAsync(ct);
            var root = await refresher.LockAsync(parent ?? credentialId.Value, ct);
            if (root is not null && root.InvalidatedAt is null)
                await refresher.MarkReauthRequiredAsync(root, reason, time.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
        });
    }

    /// <summary>
    /// Applies the outcome to the job, counts it, and saves it — a finished job with its events (see
    /// <see cref="JobOutcomeWriter"/>); the lease is released in the same write.
    /// </summary>
    private async Task RecordAsync(Job job, StepData step, DateTimeOffset started, StepOutcome outcome, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        Apply(job, outcome, now);
        // Set here, not on save: the terminal events built below carry the number this save stores.
        job.Sequence++;
        Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome.GetType().Name.ToLowerInvariant()), new KeyValuePair<string, object?>("platform", job.Platform));

        if (job.Status is JobStatuses.Published or JobStatuses.Failed)
            await outcomes.SaveFinishedAsync(job, step.Publication, step.JobCount, await NotifyAsync(job, step, started, now, ct), now, ct);
        else
            await outcomes.SaveAsync(job, ct);
        LogRecorded(logger, job.Id, job.Platform, job.Status, job.Stage);
    }

    /// <summary>The job's next state: published, waiting, retrying (while its budget lasts) or failed.</summary>
    private void Apply(Job job, StepOutcome outcome, DateTimeOffset now)
    {
        job.LeaseUntil = null;
        job.LeaseOwner = null;
        job.UpdatedAt = now;
        job.EnqueuedAt = null;
        switch (outcome)
        {
            case StepOutcome.Published published:
                job.Status = JobStatuses.Published;
                job.Stage = null;
                job.ResultPostId = published.PostId;
                job.ResultPermalink = published.Permalink;
                job.ResultPrivacyStatus = published.PrivacyStatus;
                job.ResultWarnings = JobWarning.ToJson(published.Warnings ?? []);
                job.Error = null;
                job.CompletedAt = now;
                break;
            case StepOutcome.Wait wait:
                job.Stage = wait.Stage;
                job.NextAttemptAt = now + wait.Delay;
                // Why it waits (a rate limit, a rendition not ready), shown while the job is not finished.
                job.Error = wait.Reason?.ToJson();
                // Waiting is not a failed attempt.
                job.Attempts--;
                break;
            case StepOutcome.Retry retry:
                job.Error = (retry.Error with { Retryable = true }).ToJson();
                // A scheduled job's budget starts at its release, not at its creation days before.
                var budgetLeft = job.Attempts < options.Value.MaxAttempts && now - (job.ReleasedAt ?? job.CreatedAt) < options.Value.RetryBudget;
                if (budgetLeft)
                {
                    job.NextAttemptAt = now + (retry.After ?? Backoff(job.Attempts));
                }
                else
                {
                    job.Status = JobStatuses.Failed;
                    job.CompletedAt = now;
                }
                break;
            case StepOutcome.Failed failed:
                job.Status = JobStatuses.Failed;
                job.Error = failed.Error.ToJson();
                job.CompletedAt = now;
                break;
        }
    }

    /// <summary>
    /// Whether a finished job's events are recorded: not when nobody would receive them — the publication has no
    /// callback_url and the client had no enabled webhook endpoint when this step began (looked at again after a long
    /// step); see docs/webhooks.md.
    /// </summary>
    private async Task<bool> NotifyAsync(Job job, StepData step, DateTimeOffset started, DateTimeOffset now, CancellationToken ct) =>
        step.Publication.CallbackUrl is { Length: > 0 } || step.ClientHasEndpoint
        || (now - started > EndpointRecheckAfter && await listeners.AnyAsync(db, job.ClientId, ct));

    /// <summary>Exponential backoff with full jitter: 5 s, 10 s, 20 s … capped at 10 minutes.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(600, 5 * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Platform}): {Status} {Stage}")]
    private static partial void LogRecorded(ILogger logger, Guid jobId, string platform, string status, string? stage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: transient failure ({ErrorType}); it will be retried.")]
    private static partial void LogTransient(ILogger logger, Guid jobId, string errorType);

}
