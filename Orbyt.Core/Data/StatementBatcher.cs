using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace Orbyt.Core.Data;

/// <summary>
/// Group commit: requests handed in by concurrent callers are sent to PostgreSQL together, as one round trip and one
/// commit. A loop that comes free takes every request waiting (up to <c>maxBatch</c>) and runs them with
/// <c>execute</c>, which answers each in order. There is no timer: at low load a batch is one request, and under a
/// burst the requests arriving while one batch runs form the next.
/// <para>
/// A request <c>fits</c> rule can keep out of a batch (it then leads the next one). If PostgreSQL refuses a batch, the
/// batch was rolled back as a whole and each request runs again on its own, so only a bad one fails; any other failure
/// (connection lost, circuit open) fails every request of the batch as it would have failed the request alone. A
/// request whose caller goes away before it is taken into a batch is dropped; once taken, it completes. After
/// <see cref="StopAsync"/> a request runs on its own.
/// </para>
/// </summary>
public sealed class StatementBatcher<TItem, TResult>(
    int loops,
    int maxBatch,
    Func<IReadOnlyList<Batched<TItem>>, Task<TResult[]>> execute,
    Action<int, string> onRefused,
    Func<IReadOnlyList<Batched<TItem>>, TItem, bool>? fits = null)
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = loops == 1 });
    private Task[] _loops = [];

    public void Start() => _loops = Enumerable.Range(0, loops).Select(_ => Task.Run(RunBatchesAsync, CancellationToken.None)).ToArray();

    /// <summary>Lets the loops finish what was handed to them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="item"/> in the next batch and returns its result with the size of the batch it went in.
    /// <paramref name="context"/>: the caller's span, which the batch's span links to (or is a child of, when first).
    /// </summary>
    public async Task<(TResult Result, int BatchSize)> RunAsync(TItem item, ActivityContext context, CancellationToken ct)
    {
        var request = new Pending(item, context);
        if (!_queue.Writer.TryWrite(request))
        {
            request.TryTake();
            await RunBatchAsync([request]);
        }
        await using var registration = ct.Register(static r => ((Pending)r!).TryCancel(), request);
        var result = await request.Completion;
        return (result, request.BatchSize);
    }

    private async Task RunBatchesAsync()
    {
        var batch = new List<Pending>(maxBatch);
        var next = new List<Pending>();
        var reader = _queue.Reader;
        while (next.Count > 0 || await reader.WaitToReadAsync())
        {
            batch.Clear();
            var carried = next.ToArray();
            next.Clear();
            foreach (var request in carried)
                Add(request);
            while (batch.Count < maxBatch && reader.TryRead(out var request))
            {
                if (request.TryTake())
                    Add(request);
            }
            if (batch.Count > 0)
                await RunBatchAsync(batch);
        }

        void Add(Pending request)
        {
            if (batch.Count == 0 || fits is null || fits(batch, request.Item))
                batch.Add(request);
            else
                next.Add(request);
        }
    }

    /// <summary>Runs taken requests as one batch and completes each; never throws.</summary>
    private async Task RunBatchAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            var results = await execute(batch);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Complete(results[i], batch.Count);
        }
        catch (PostgresException ex) when (batch.Count > 1)
        {
            // Rolled back as a whole: nothing of the batch was done. Each request again on its own, with its own outcome.
            onRefused(batch.Count, ex.SqlState);
            foreach (var request in batch)
                await RunBatchAsync([request]);
        }
        catch (Exception ex)
        {
            foreach (var request in batch)
                request.Fail(ex);
        }
    }

    /// <summary>One caller's request: taken into a batch once, or cancelled by its caller before that.</summary>
    private sealed class Pending(TItem item, ActivityContext context) : Batched<TItem>(item, context)
    {
        private const int Waiting = 0, Taken = 1, Cancelled = 2;
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public int BatchSize { get; private set; }
        public Task<TResult> Completion => _completion.Task;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

        public void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
                _completion.TrySetCanceled();
        }

        public void Complete(TResult result, int batchSize)
        {
            BatchSize = batchSize;
            _completion.TrySetResult(result);
        }

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}

/// <summary>A request in a batch: what it asks, and the span of the caller that asked.</summary>
public abstract class Batched<TItem>(TItem item, ActivityContext context)
{
    public TItem Item { get; } = item;
    public ActivityContext Context { get; } = context;

    /// <summary>
    /// The span of a batch: a child of the first request's span (its trace shows the batch's own work, PostgreSQL's
    /// spans included) with a link to every other request's span.
    /// </summary>
    public static Activity? StartBatchActivity(ActivitySource source, string name, IReadOnlyList<Batched<TItem>> batch) =>
        source.StartActivity(name, ActivityKind.Internal, batch[0].Context,
            links: batch.Skip(1).Where(b => b.Context != default).Select(b => new ActivityLink(b.Context)));
}
