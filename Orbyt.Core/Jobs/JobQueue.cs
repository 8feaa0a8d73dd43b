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
}
