using System.Diagnostics;
using StackExchange.Redis;

namespace Orbyt.Core.Jobs;

/// <summary>
/// The Redis stream that rings the Uploader's doorbell. Postgres is the ledger: an entry carries only the job id
/// and the W3C trace context, and is added after the job row is committed.
/// </summary>
public static class JobQueue
{
    public const string Stream = "orbyt:jobs";
    public const string Group = "uploaders";
    public const string DeadLetterStream = "orbyt:jobs:dead";
    public const string JobIdField = "job_id";
    public const string TraceParentField = "traceparent";
    public const string TraceStateField = "tracestate";

    public static readonly ActivitySource Source = new("Orbyt.Queue");

    /// <summary>The span tag every span of a job's work carries, so the dashboard finds a job's spans by its id.</summary>
    public const string JobIdTag = "orbyt.job.id";
    /// <summary>The span tag of a publication's webhook deliveries (a <c>publication.completed</c> is about all its jobs).</summary>
    public const string PublicationIdTag = "orbyt.publication.id";

    /// <summary>Adds one entry per job; the current activity's context travels with it.</summary>
    public static async Task EnqueueAsync(IDatabase redis, IEnumerable<Guid> jobIds)
    {
        using var activity = Source.StartActivity("orbyt:jobs publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", Stream);
        var context = Activity.Current;
        foreach (var jobId in jobIds)
        {
            var fields = new List<NameValueEntry> { new(JobIdField, jobId.ToString()) };
            if (context is not null)
            {
                fields.Add(new(TraceParentField, context.Id));
                if (!string.IsNullOrEmpty(context.TraceStateString)) fields.Add(new(TraceStateField, context.TraceStateString));
            }
            await redis.StreamAddAsync(Stream, [.. fields]);
        }
    }

    /// <summary>
    /// Adds one entry per job, each in the trace of the request that created the job (its stored traceparent): a
    /// step after a wait, re-queued by the reconciler, is then part of the publication's trace rather than a new one.
    /// </summary>
    public static async Task EnqueueAsync(IDatabase redis, IEnumerable<(Guid JobId, string? TraceParent)> jobs)
    {
        foreach (var (jobId, traceParent) in jobs)
        {
            ActivityContext.TryParse(traceParent, null, out var parent);
            using var activity = Source.StartActivity("orbyt:jobs publish", ActivityKind.Producer, parent);
            activity?.SetTag("messaging.system", "redis");
            activity?.SetTag("messaging.destination.name", Stream);
            activity?.SetTag(JobIdTag, jobId.ToString());
            var fields = new List<NameValueEntry> { new(JobIdField, jobId.ToString()) };
            // Without a recorded span here (not sampled), the job's own context still travels on.
            var context = activity?.Id ?? traceParent;
            if (context is not null) fields.Add(new(TraceParentField, context));
            await redis.StreamAddAsync(Stream, [.. fields]);
        }
    }

    /// <summary>
    /// Whether the group has entries not yet delivered to any consumer: whether an entry after the group's last-delivered
    /// id exists (one <c>XRANGE … COUNT 1</c>, exact). Not the group's <c>lag</c>: once entries are gone before the group
    /// read them (an <c>XTRIM</c> or <c>XDEL</c> of undelivered entries), Redis 7.0 keeps counting them — a lag of 10 with
    /// nothing left to deliver, so the reconciler would never look for lost entries again — and later versions report
    /// it as null until the group catches up. A missing stream or group counts as nothing undelivered (a Redis that
    /// restarted empty).
    /// </summary>
    public static async Task<bool> HasUndeliveredAsync(IDatabase redis, string stream = Stream, string group = Group)
    {
        StreamGroupInfo info;
        try
        {
            info = (await redis.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == group);
        }
        catch (RedisServerException)
        {
            return false;
        }
        if (info.Name is null) return false;
        var after = info.LastDeliveredId is { } delivered && delivered != "0-0" ? StreamIds.Next(delivered) : "-";
        return (await redis.StreamRangeAsync(stream, after, "+", count: 1)).Length > 0;
    }
}
