using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Core.Jobs;

/// <summary>
/// A publication's completion, shared by whoever finishes one of its jobs — the Uploader (published, failed) and the API
/// (cancelled): when that job was the publication's last unfinished one, the publication gets its <c>completed_at</c> and,
/// when someone can receive it, <c>publication.completed</c>. Decided under the publication's row lock
/// (<see cref="LockAsync"/>), taken before the job's own row is written, so two jobs finishing at the same moment — on two
/// replicas, or a replica and a cancel — complete the publication exactly once.
/// </summary>
public static class PublicationCompletion
{
    /// <summary>Locks the publication's row until the transaction ends (the caller has one open).</summary>
    public static Task LockAsync(OrbytDbContext db, Guid publicationId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM publications WHERE id = {publicationId} FOR UPDATE", ct);

    public static bool IsFinished(string status) => status is JobStatuses.Published or JobStatuses.Failed or JobStatuses.Cancelled;

    /// <summary>
    /// Records the completion (nothing is written until the caller saves) when every sibling of <paramref name="finished"/>
    /// is finished too; whether it did. <paramref name="notify"/>: someone can receive webhooks for it (docs/webhooks.md).
    /// </summary>
    public static bool Record(OrbytDbContext db, Publication publication, Job finished, IReadOnlyList<Job> siblings, bool notify, DateTimeOffset now)
    {
        if (!siblings.All(j => IsFinished(j.Status)))
            return false;
        publication.CompletedAt = now;
        if (!notify)
            return true;
        var all = siblings.Append(finished).ToArray();
        WebhookOutbox.Add(db, finished.ClientId, WebhookEventTypes.PublicationCompleted, new PublicationCompletedData(
            publication.Id, publication.UserId, publication.ClientReference,
            Published: all.Count(j => j.Status == JobStatuses.Published),
            Failed: all.Count(j => j.Status == JobStatuses.Failed),
            Cancelled: all.Count(j => j.Status == JobStatuses.Cancelled),
            Jobs: all.Select(JobResponse.From).ToArray()), now, publication.CallbackUrl);
        return true;
    }
}
