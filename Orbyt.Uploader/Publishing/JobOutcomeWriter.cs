using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Saves a job step's outcome (the lease is released in the same write). A finished job is saved with its
/// <c>job.*</c> event and, when it is its publication's last unfinished job, the publication's completion and
/// <c>publication.completed</c> (<see cref="PublicationCompletion"/>, the rule the API's cancel shares) — under the
/// publication's row lock when the publication has other jobs: two of its jobs finishing at the same moment on two
/// replicas would otherwise each read the other as still running, and neither would complete the publication.
/// </summary>
public sealed partial class JobOutcomeWriter(OrbytDbContext db, ILogger<JobOutcomeWriter> logger)
{
    /// <summary>Saves a job that goes on (waiting, retrying) or a publication's only job.</summary>
    public async Task SaveAsync(Job job, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await KeepCancellationAsync(job, ct);
        }
    }

    /// <summary>
    /// Saves a finished job (published or failed) of <paramref name="publication"/> (tracked by this context) with its
    /// events. <paramref name="notify"/>: someone can receive webhooks for it (docs/webhooks.md).
    /// </summary>
    public async Task SaveFinishedAsync(Job job, Publication publication, int jobCount, bool notify, DateTimeOffset now, CancellationToken ct)
    {
        if (jobCount == 1)
        {
            // Nothing else of the publication can finish at the same time: no lock, no extra round trip.
            Record(job, publication, [], notify, now);
            await SaveAsync(job, ct);
            return;
        }

        var completedBefore = publication.CompletedAt;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            // A retried attempt starts from the job's outcome alone: the events and completion of the failed one go.
            foreach (var unsaved in db.ChangeTracker.Entries<WebhookEvent>().Where(e => e.State == EntityState.Added).ToList())
                unsaved.State = EntityState.Detached;
            publication.CompletedAt = completedBefore;

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Siblings finishing now wait here until this transaction commits, then read this job as finished.
            await PublicationCompletion.LockAsync(db, publication.Id, ct);
            var siblings = await db.Jobs.AsNoTracking().Where(j => j.PublicationId == publication.Id && j.Id != job.Id).ToListAsync(ct);
            Record(job, publication, siblings, notify, now);
            try
            {
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                await tx.RollbackAsync(ct);
                await KeepCancellationAsync(job, ct);
                return;
            }
            await tx.CommitAsync(ct);
            db.ChangeTracker.AcceptAllChanges();
        });
    }

    /// <summary>The job's event, and with the publication's last job its completion and <c>publication.completed</c>.</summary>
    private void Record(Job job, Publication publication, IReadOnlyList<Job> siblings, bool notify, DateTimeOffset now)
    {
        if (notify)
        {
            WebhookOutbox.Add(db, job.ClientId, job.Status == JobStatuses.Published ? WebhookEventTypes.JobPublished : WebhookEventTypes.JobFailed,
                new JobEventData(JobResponse.From(job), publication.Id), now, publication.CallbackUrl);
        }

        PublicationCompletion.Record(db, publication, job, siblings, notify, now);
    }

    /// <summary>Cancelled through the API while the step ran: the cancellation stands, the job only loses its lease.</summary>
    private async Task KeepCancellationAsync(Job job, CancellationToken ct)
    {
        LogCancelledMeanwhile(logger, job.Id);
        db.ChangeTracker.Clear();
        await db.Jobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null).SetProperty(j => j.LeaseOwner, (string?)null), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was cancelled while a step ran.")]
    private static partial void LogCancelledMeanwhile(ILogger logger, Guid jobId);
}
