using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Core.Vault;
using Orbyt.Api.Features.Publications;
using StackExchange.Redis;

namespace Orbyt.Api.Features.Jobs;

public sealed class GetJobEndpoint(OrbytDbContext db) : Endpoint<JobRequest, JobResponse>
{
    public override void Configure()
    {
        Get("/v1/jobs/{id}");
        Description(d => d.WithTags("Jobs").Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Poll a job: status, stage, progress, attempts, result, error");
    }

    public override async Task HandleAsync(JobRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var job = await db.Jobs.AsNoTracking().OwnedBy(clientId, req.UserId).SingleOrDefaultAsync(j => j.Id == req.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        await Send.OkAsync(JobResponse.From(job), ct);
    }
}

public sealed class ListJobsEndpoint(OrbytDbContext db) : Endpoint<ListJobsRequest, JobListResponse>
{
    public override void Configure()
    {
        Get("/v1/jobs");
        Description(d => d.WithTags("Jobs"));
        Summary(s => s.Summary = "List jobs, newest first (filters: status, platform, publication_id, connection_id; cursor: starting_after)");
    }

    public override async Task HandleAsync(ListJobsRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var limit = Math.Clamp(req.Limit ?? 20, 1, 100);
        var query = db.Jobs.AsNoTracking().OwnedBy(clientId, req.UserId);
        if (!string.IsNullOrEmpty(req.Status)) query = query.Where(j => j.Status == req.Status);
        if (!string.IsNullOrEmpty(req.Platform)) query = query.Where(j => j.Platform == req.Platform);
        if (req.PublicationId is { } publicationId) query = query.Where(j => j.PublicationId == publicationId);
        if (req.ConnectionId is { } connectionId) query = query.Where(j => j.ConnectionId == connectionId);
        if (req.StartingAfter is { } after)
        {
            var cursor = await db.Jobs.AsNoTracking().Where(j => j.Id == after && j.ClientId == clientId).Select(j => new { j.CreatedAt, j.Id }).SingleOrDefaultAsync(ct)
                ?? throw new ApiProblemException(ErrorCatalog.ValidationFailed, "starting_after is not a job of this client.", new() { ["starting_after"] = ["Unknown job id."] });
            query = query.Where(j => j.CreatedAt < cursor.CreatedAt || (j.CreatedAt == cursor.CreatedAt && j.Id.CompareTo(cursor.Id) < 0));
        }
        var rows = await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).Select(JobResponse.From).ToArray();
        await Send.OkAsync(new JobListResponse(page, rows.Count > limit, rows.Count > limit ? page[^1].Id : null), ct);
    }
}

/// <summary>
/// Retries a failed job whose error is retryable, or that needed re-auth and whose connection is active again, or
/// whose media URL expired or could not be fetched — then with a fresh <c>media_url</c> of the same file.
/// </summary>
public sealed class RetryJobEndpoint(OrbytDbContext db, IConnectionMultiplexer redis, MediaChecks mediaChecks, ITokenVault vault, TimeProvider time)
    : Endpoint<RetryJobRequest, JobResponse>
{
    public override void Configure()
    {
        Post("/v1/jobs/{id}/retry");
        Description(d => d.WithTags("Jobs").Produces<ProblemDocument>(400, ProblemResults.ContentType).Produces<ProblemDocument>(404, ProblemResults.ContentType)
            .Produces<ProblemDocument>(409, ProblemResults.ContentType).Produces<ProblemDocument>(422, ProblemResults.ContentType));
        Summary(s =>
        {
            s.Summary = "Retry a failed job";
            s.Description = "A failed job whose error is retryable, or that needed re-auth and whose connection is active again. A job that failed with media_url_expired, media_not_ready or media_fetch_failed may bring a fresh media_url of the same file (same scheme, host and path; e.g. a newly signed Mux URL): it is checked as at creation and replaces the publication's media URL.";
        });
    }

    public override async Task HandleAsync(RetryJobRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var job = await db.Jobs.Include(j => j.Publication).OwnedBy(clientId, req.UserId).SingleOrDefaultAsync(j => j.Id == req.Id, ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        var error = JobError.Read(job.Error);
        var connectionActive = await db.Connections.AnyAsync(c => c.Id == job.ConnectionId && c.Status == ConnectionStatuses.Active, ct);
        var freshMedia = req.MediaUrl is not null && error is not null && RetryJobRequest.CurableByFreshMediaUrl.Contains(error.Code);
        if (job.Status != JobStatuses.Failed || error is null || !(error.Retryable || freshMedia || (error.ReauthRequired && connectionActive)))
            throw new ApiProblemException(ErrorCatalog.JobNotRetryable);
        if (!connectionActive)
            throw new ApiProblemException(ErrorCatalog.ConnectionNotActive, "Reconnect the account before retrying.");
        if (req.MediaUrl is { } mediaUrl)
            await ReplaceMediaUrlAsync(job, mediaUrl, ct);

        var now = time.GetUtcNow();
        job.Status = JobStatuses.Queued;
        job.Stage = null;
        job.Error = null;
        job.CompletedAt = null;
        job.NextAttemptAt = now;
        job.EnqueuedAt = now;
        job.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        try
        {
            await JobQueue.EnqueueAsync(redis.GetDatabase(), [job.Id]);
        }
        catch (RedisException)
        {
            // The reconciler enqueues it.
        }
        await Send.OkAsync(JobResponse.From(job), ct);
    }

    /// <summary>The same file (scheme, host, path), checked as at creation; stored redacted and sealed like the first.</summary>
    private async Task ReplaceMediaUrlAsync(Job job, string mediaUrl, CancellationToken ct)
    {
        var publication = job.Publication!;
        if (publication.Options?.RootElement.TryGetProperty(TargetContent.MediaKey, out var items) == true && items.GetArrayLength() > 1)
            throw new ApiProblemException(ErrorCatalog.MediaUrlInvalid, "media_url replaces a publication's one media URL; this publication has several media items.");
        if (!Uri.TryCreate(mediaUrl, UriKind.Absolute, out var fresh) || !Uri.TryCreate(publication.MediaUrl, UriKind.Absolute, out var current)
            || fresh.GetLeftPart(UriPartial.Path) != current.GetLeftPart(UriPartial.Path))
            throw new ApiProblemException(ErrorCatalog.MediaUrlInvalid, "media_url must name the same file as the publication's (same scheme, host and path); only its query may change.");
        await mediaChecks.CheckAsync(mediaUrl, publication.MediaType, [job.Platform], ct);
        publication.MediaUrl = SignedMediaUrl.Redact(mediaUrl);
        publication.MediaUrlSealed = SignedMediaUrl.HasSecret(mediaUrl) ? vault.Protect(mediaUrl, VaultPurposes.MediaUrl) : null;
        JobCheckpoint.ForgetMediaWaits(job);
    }
}

/// <summary>
/// Cancels a job that has not reached an irreversible step. When it was its publication's last unfinished job, the
/// publication completes (<c>completed_at</c>, <c>publication.completed</c>) in the same transaction, under the
/// publication's row lock (<see cref="PublicationCompletion"/>).
/// </summary>
public sealed class CancelJobEndpoint(OrbytDbContext db, TimeProvider time) : Endpoint<JobActionRequest, JobResponse>
{
    public override void Configure()
    {
        Post("/v1/jobs/{id}/cancel");
        Description(d => d.WithTags("Jobs").Produces<ProblemDocument>(404, ProblemResults.ContentType).Produces<ProblemDocument>(409, ProblemResults.ContentType));
        Summary(s => s.Summary = "Cancel a job that is not yet publishing");
    }

    /// <summary>A job the Uploader writes between our read and our save (a lease, a wait recorded) is read again this often.</summary>
    private const int Attempts = 3;

    public override async Task HandleAsync(JobActionRequest req, CancellationToken ct)
    {
        var clientId = User.ClientId();
        var owned = await db.Jobs.OwnedBy(clientId, req.UserId).AsNoTracking().Where(j => j.Id == req.Id).Select(j => new { j.PublicationId }).SingleOrDefaultAsync(ct)
            ?? throw new ApiProblemException(ErrorCatalog.NotFound);
        var now = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Send.OkAsync(JobResponse.From(await CancelAsync(req.Id, owned.PublicationId, now, ct)), ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // The Uploader moved the job meanwhile: read it again and decide again.
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ApiProblemException(ErrorCatalog.JobNotCancellable, "The job kept changing while cancelling; read it again.");
            }
        }
    }

    /// <summary>
    /// In one transaction: the publication's lock (first, as the Uploader's terminal save takes it — a sibling finishing
    /// at this moment waits for this cancel, or this for it, and the later one sees the other finished), the job read
    /// afresh and checked, cancelled, and the publication completed when this was its last open job.
    /// </summary>
    private async Task<Job> CancelAsync(Guid jobId, Guid publicationId, DateTimeOffset now, CancellationToken ct)
    {
        Job job = null!;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await PublicationCompletion.LockAsync(db, publicationId, ct);
            job = await db.Jobs.SingleAsync(j => j.Id == jobId, ct);
            if (job.Status is not (JobStatuses.Queued or JobStatuses.Processing) || job.Stage == JobStages.Publishing || JobCheckpoint.IrreversibleStarted(job))
                throw new ApiProblemException(ErrorCatalog.JobNotCancellable);
            job.Status = JobStatuses.Cancelled;
            job.CompletedAt = now;
            job.UpdatedAt = now;
            // Set here, not on save: publication.completed below carries the number this save stores.
            job.Sequence++;
            var publication = await db.Publications.SingleAsync(p => p.Id == publicationId, ct);
            if (publication.CompletedAt is null)
            {
                var siblings = await db.Jobs.AsNoTracking().Where(j => j.PublicationId == publicationId && j.Id != jobId).ToListAsync(ct);
                var notify = publication.CallbackUrl is { Length: > 0 } || await db.WebhookEndpoints.AnyAsync(e => e.ClientId == job.ClientId && e.Enabled, ct);
                PublicationCompletion.Record(db, publication, job, siblings, notify, now);
            }
            // xmin concurrency: the Uploader's writes to the job since it was read here fail this save.
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        return job;
    }
}
