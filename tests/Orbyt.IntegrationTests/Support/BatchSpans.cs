using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// The batches a group-commit component ran in the test process, read from its batch spans (their name and size tag):
/// the publication writer's, the Uploader's leaser's.
/// </summary>
public sealed class BatchSpans : IDisposable
{
    private readonly ConcurrentQueue<(ActivityTraceId Trace, int Size)> _batches = new();
    private readonly ActivityListener _listener;

    /// <param name="sources">Activity source names, compared by name (a source may still be being created when the first check runs).</param>
    public BatchSpans(string operation, string sizeTag, params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.OperationName == operation && a.GetTagItem(sizeTag) is int size)
                    _batches.Enqueue((a.TraceId, size));
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The batches' sizes in the order they ended; only those in <paramref name="trace"/> when given.</summary>
    public int[] Sizes(ActivityTraceId? trace = null) =>
        _batches.Where(b => trace is null || b.Trace == trace).Select(b => b.Size).ToArray();

    public void Dispose() => _listener.Dispose();
}
