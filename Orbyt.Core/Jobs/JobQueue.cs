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

/// <summary>Redis stream entry ids (<c>milliseconds-sequence</c>).</summary>
public static class StreamIds
{
    /// <summary>The smallest id after <paramref name="id"/>.</summary>
    public static string Next(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var ms = dash < 0 ? id : id[..dash];
        var seq = dash < 0 ? 0 : ulong.Parse(id.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture);
        return seq == ulong.MaxValue
            ? $"{ulong.Parse(ms, System.Globalization.CultureInfo.InvariantCulture) + 1}-0"
            : $"{ms}-{seq + 1}";
    }
}
