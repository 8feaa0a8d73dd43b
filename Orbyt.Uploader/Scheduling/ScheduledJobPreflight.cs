using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Vault;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Uploader.Scheduling;

/// <summary>
/// The check of a scheduled job some hours before its time (<see cref="ScheduleOptions.PreflightLead"/>), for what
/// can break after creation: the connection disconnected or needing re-auth, the token dead (Meta: <c>debug_token</c>;
/// Google: refreshed through the shared path when it is near expiry, which finds a dead grant), the media gone, refused
/// or no longer within the target's specification, or a signed URL that will have expired by the time. A job that
/// fails it fails now — with its error and its <c>job.failed</c> webhook — while the user can still reconnect, send a
/// fresh URL (<c>POST /v1/jobs/{id}/retry</c> puts it back on schedule) or reschedule. A job that passes keeps its time.
/// </summary>
public sealed partial class ScheduledJobPreflight(
    OrbytDbContext db,
    ConnectionTokens tokens,
    MetaGraphClient meta,
    MediaProbe probe,
    ITokenVault vault,
    JobOutcomeWriter outcomes,
    IOptions<MediaOptions> media,
    TimeProvider time,
    ILogger<ScheduledJobPreflight> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        var job = await db.Jobs.Include(j => j.Publication).SingleOrDefaultAsync(j => j.Id == jobId && j.Status == JobStatuses.Scheduled, ct);
        if (job?.Publication is not { } publication)
            return;
        var problem = await CheckAsync(job, publication, ct);
        var now = time.GetUtcNow();
        if (problem is null)
        {
            // Passed: done until a reschedule asks again. The xmin check leaves a job cancelled or released meanwhile alone.
            job.PreflightAt = null;
            await outcomes.SaveAsync(job, ct);
            LogPassed(logger, job.Id);
            return;
        }

        job.Status = JobStatuses.Failed;
        job.Error = problem.ToJson();
        job.NextAttemptAt = null;
        job.PreflightAt = null;
        job.CompletedAt = now;
        job.UpdatedAt = now;
        job.Sequence++;
        var jobCount = await db.Jobs.CountAsync(j => j.PublicationId == publication.Id, ct);
        var notify = publication.CallbackUrl is { Length: > 0 } || await db.WebhookEndpoints.AnyAsync(e => e.ClientId == job.ClientId && e.Enabled, ct);
        await outcomes.SaveFinishedAsync(job, publication, jobCount, notify, now, ct);
        LogFailed(logger, job.Id, problem.Code);
    }

    /// <summary>Null when the job can go out at its time; otherwise the error it fails with now.</summary>
    private async Task<JobError?> CheckAsync(Job job, Publication publication, CancellationToken ct)
    {
        var connection = await db.Connections.AsNoTracking().Include(c => c.Credential).SingleOrDefaultAsync(c => c.Id == job.ConnectionId, ct);
        if (connection is null)
            return JobError.From(ErrorCatalog.ConnectionRevoked, message: "The connection no longer exists.");
        UsableToken token;
        try
        {
            token = await tokens.GetAsync(connection, ct);
        }
        catch (ConnectionUnusableException ex)
        {
            return JobError.From(ex.Error, message: $"{ex.Message} Reconnect the account before the scheduled time.");
        }
        if (connection.Platform is PlatformNames.Facebook or PlatformNames.Instagram && await MetaTokenProblemAsync(token, ct) is { } dead)
            return dead;
        return await MediaProblemAsync(job, publication, ct);
    }

    /// <summary>A Meta token can be revoked at any time (a password change, the app removed): ask Meta (§1.5).</summary>
    private async Task<JobError?> MetaTokenProblemAsync(UsableToken token, CancellationToken ct)
    {
        try
        {
            var debug = await meta.DebugTokenAsync(token.AccessToken, ct);
            return debug.IsValid ? null
                : JobError.From(ErrorCatalog.ReauthRequired, message: $"Meta says the token is no longer valid ({debug.Error?.Message ?? "no reason given"}). Reconnect the account before the scheduled time.");
        }
        catch (Exception ex) when (ex is HttpRequestException or MetaApiException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Meta unreachable now is not a reason to fail a post hours ahead; the run itself will find out.
            LogCheckSkipped(logger, ex.GetType().Name);
            return null;
        }
    }

    private async Task<JobError?> MediaProblemAsync(Job job, Publication publication, CancellationToken ct)
    {
        // A text or link post has no file to check.
        if (publication.MediaType == MediaTypes.None)
            return null;
        var url = publication.MediaUrlSealed is { } sealedUrl ? vault.Unprotect(sealedUrl, VaultPurposes.MediaUrl) : publication.MediaUrl;
        var mustLast = (job.PublishAt ?? time.GetUtcNow()) + media.Value.MinSignedUrlLifetime;
        if (SignedMediaUrl.Expiry(url) is { } expires && expires < mustLast)
            return JobError.From(ErrorCatalog.MediaUrlExpired, message:
                $"The media URL's token expires at {expires:O}, before the scheduled post can be done (it must stay valid until {mustLast:O}). Retry the job with a freshly signed media_url.");
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(ProbeTimeout);
        MediaProbeResult result;
        try
        {
            result = await probe.ProbeAsync(new Uri(url), bounded.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        switch (result)
        {
            case MediaProbeResult.Refused { Status: var status }:
                return JobError.From(ErrorCatalog.MediaUrlExpired, message: $"The media host refuses the URL now (HTTP {status}). Retry the job with a fresh media_url.");
            // The target's format decides part of the specification (an Instagram story's 60 s, a Facebook reel's 90 s).
            case MediaProbeResult.Ready { Facts: var facts } when MediaSpecs.Check(job.Platform, TargetContent.FormatOf(publication, job.ConnectionId, job.Platform), publication.MediaType, facts) is { } broken:
                return JobError.From(broken.Error, message: broken.Detail);
            default:
                // Ready, not made yet (the run waits for it), or unreachable for now (the run retries).
                return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled job {JobId} passed its pre-flight check.")]
    private static partial void LogPassed(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled job {JobId} failed its pre-flight check ({Code}).")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "A pre-flight platform check could not run ({ErrorType}); the job keeps its time.")]
    private static partial void LogCheckSkipped(ILogger logger, string errorType);
}
