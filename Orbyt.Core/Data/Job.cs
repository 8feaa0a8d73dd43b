using System.Text.Json;

namespace Orbyt.Core.Data;

/// <summary>Publishing one publication to one connection. Postgres is the ledger; the Redis stream entry is only the doorbell.</summary>
public sealed class Job
{
    public Guid Id { get; set; }
    public Guid PublicationId { get; set; }
    public Publication? Publication { get; set; }
    public Guid ConnectionId { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Platform { get; set; }
    public string Status { get; set; } = JobStatuses.Queued;
    public string? Stage { get; set; }
    public long? BytesTransferred { get; set; }
    public long? BytesTotal { get; set; }
    public int Attempts { get; set; }
    /// <summary>
    /// When a queued or processing job runs next; for a <see cref="JobStatuses.Scheduled"/> job, when the scheduler
    /// releases it into the stream (its <see cref="PublishAt"/> less the platform's lead time).
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    /// <summary>When the post must go live (the publication's or the target's <c>publish_at</c>); null: at once.</summary>
    public DateTimeOffset? PublishAt { get; set; }
    /// <summary>When a scheduled job's pre-flight check is due; null once it ran (or for a job that is not scheduled).</summary>
    public DateTimeOffset? PreflightAt { get; set; }
    /// <summary>When the scheduler released the job into the stream, and which replica did.</summary>
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? ReleasedBy { get; set; }
    public string? ResultPostId { get; set; }
    public string? ResultPermalink { get; set; }
    /// <summary>YouTube: the privacy the platform applied, read back after processing.</summary>
    public string? ResultPrivacyStatus { get; set; }
    /// <summary>How the published post differs from what was asked (<see cref="Jobs.JobWarning"/> list), null when it does not.</summary>
    public JsonDocument? ResultWarnings { get; set; }
    /// <summary>Catalog error plus the raw platform error, as returned in the API's job.error.</summary>
    public JsonDocument? Error { get; set; }
    /// <summary>Recipe checkpoint: platform references persisted as they are obtained (container id, session URI, video id…).</summary>
    public JsonDocument? Checkpoint { get; set; }
    /// <summary>W3C traceparent of the request that created the job.</summary>
    public string? TraceParent { get; set; }
    /// <summary>Set while an Uploader replica works on the job; a stream entry for a leased job is skipped.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    /// <summary>When the job's last stream entry was added; the reconciler re-adds due jobs whose entry was lost.</summary>
    public DateTimeOffset? EnqueuedAt { get; set; }
    /// <summary>How the media reached the platform: platform_pull (file_url/video_url) or push (we uploaded the bytes).</summary>
    public string? TransferMethod { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>
    /// Goes up by one with every saved change of the job (a new job is 1), so a receiver of the job's webhooks can tell
    /// an older state from a newer one whatever order the deliveries arrive in. Bumped by
    /// <see cref="OrbytDbContext"/> on save unless the writer already set it (to put the new value into an event).
    /// </summary>
    public long Sequence { get; set; } = 1;
    /// <summary>Optimistic concurrency token (Postgres xmin).</summary>
    public uint Version { get; set; }
}
