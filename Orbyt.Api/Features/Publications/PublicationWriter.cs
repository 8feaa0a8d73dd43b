using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Writes publications, committing the writes of concurrent requests together (group commit): each request's write is
/// its own <see cref="PublicationWriteStatement"/>, and the writes waiting when a writer comes free go to PostgreSQL as
/// one batch — one round trip, one transaction, one commit and WAL flush for all of them. At low load a batch holds one
/// write and nothing waits; under a burst the batches grow, which is where the per-commit cost was most of
/// PostgreSQL's work (docs/benchmarks.md, issue 20).
/// <para>
/// Each write still answers for itself: its statement writes all of its publication or none of it, and reports its own
/// result. The batch commits as a whole, so a request is answered only after the commit. If PostgreSQL refuses a batch
/// (an error in one statement rolls back all of them), nothing of it was written and each write runs again on its
/// own, so one bad write fails only its own request. Any other failure (connection lost, circuit open) fails every
/// write of the batch as it would have failed the write alone. Two writes with the same Idempotency-Key never share a
/// batch: the advisory lock is re-entrant within one transaction, so the later write waits for the next batch and finds
/// the first one's committed record (a replay); in a concurrent batch of the other writer it is
/// <c>idempotency_key_in_use</c>, as before.
/// </para>
/// A request that goes away before its write is taken into a batch is dropped; once taken, the write completes.
/// </summary>
public sealed partial class PublicationWriter(
    IServiceScopeFactory scopes,
    IOptions<PublicationWriteOptions> options,
    ILogger<PublicationWriter> logger) : IHostedService
{
    public const string SourceName = "Orbyt.Api";
    public static readonly ActivitySource Source = new(SourceName);
    public const string BatchSizeTag = "orbyt.write.batch_size";

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private Task[] _writers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writers = Enumerable.Range(0, options.Value.Writers).Select(_ => Task.Run(WriteBatchesAsync, CancellationToken.None)).ToArray();
        return Task.CompletedTask;
    }

    /// <summary>Lets the writers finish what was handed to them; a write arriving after this runs on its own.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).WaitAsync(cancellationToken);
    }

    public async Task<PublicationWriteResult> WriteAsync(Publication publication, string responseJson, IdempotencyClaim? claim, CancellationToken ct)
    {
        using var activity = Source.StartActivity("publication write");
        var write = new PendingWrite(publication, responseJson, claim, activity?.Context ?? Activity.Current?.Context ?? default);
        if (!_queue.Writer.TryWrite(write))
        {
            write.TryTake();
            await RunAsync([write]);
        }
        await using var registration = ct.Register(static w => ((PendingWrite)w!).TryCancel(), write);
        var result = await write.Completion;
        activity?.SetTag(BatchSizeTag, write.BatchSize);
        return result;
    }

    private async Task WriteBatchesAsync()
    {
        var max = options.Value.MaxBatch;
        var batch = new List<PendingWrite>(max);
        var keys = new HashSet<long>();
        var next = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (next.Count > 0 || await reader.WaitToReadAsync())
        {
            batch.Clear();
            keys.Clear();
            var carried = next.ToArray();
            next.Clear();
            foreach (var write in carried)
                Add(write);
            while (batch.Count < max && reader.TryRead(out var write))
            {
                if (write.TryTake())
                    Add(write);
            }
            if (batch.Count > 0)
                await RunAsync(batch);
        }

        void Add(PendingWrite write)
        {
            if (write.Claim is null || keys.Add(write.LockKey))
                batch.Add(write);
            else
                next.Add(write);
        }
    }

    /// <summary>Runs taken writes as one batch and completes each; never throws.</summary>
    private async Task RunAsync(IReadOnlyList<PendingWrite> batch)
    {
        try
        {
            var results = await ExecuteAsync(batch);
            for (var i = 0; i < batch.Count; i++)
                batch[i].Complete(results[i], batch.Count);
        }
        catch (PostgresException ex) when (batch.Count > 1)
        {
            // Rolled back as a whole: nothing of the batch is written. Each write again on its own, with its own outcome.
            LogBatchRefused(logger, batch.Count, ex.SqlState);
            foreach (var write in batch)
                await RunAsync([write]);
        }
        catch (Exception ex)
        {
            foreach (var write in batch)
                write.Fail(ex);
        }
    }

    private async Task<PublicationWriteResult[]> ExecuteAsync(IReadOnlyList<PendingWrite> batch)
    {
        // The batch's span is in the first request's trace and links to every other request's write span.
        using var activity = Source.StartActivity("publication write batch", ActivityKind.Internal, batch[0].Context,
            links: batch.Skip(1).Where(w => w.Context != default).Select(w => new ActivityLink(w.Context)));
        activity?.SetTag(BatchSizeTag, batch.Count);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        // Opened through EF so the database circuit sees the attempt (answers 503 at once while PostgreSQL is away).
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var write in batch)
            {
                var statement = new NpgsqlBatchCommand(PublicationWriteStatement.Sql(write.Claim));
                PublicationWriteStatement.AddParameters(statement.Parameters, write.Publication, write.ResponseJson, write.Claim, write.LockKey);
                command.BatchCommands.Add(statement);
            }
            var results = new PublicationWriteResult[batch.Count];
            await using (var reader = await command.ExecuteReaderAsync())
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync())
                        throw new InvalidOperationException($"The batch answered {i} of {batch.Count} statements.");
                    if (!await reader.ReadAsync())
                        throw new InvalidOperationException("A publication write returned no row.");
                    results[i] = PublicationWriteStatement.Read(reader, batch[i].Publication.Jobs.Count);
                }
                // Read to the end: the batch's commit is confirmed (or its error raised) only there.
                while (await reader.NextResultAsync()) { }
            }
            return results;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} publication writes was refused ({SqlState}); each is written on its own.")]
    private static partial void LogBatchRefused(ILogger logger, int count, string sqlState);

    /// <summary>One request's write: taken into a batch once, or cancelled by its request before that.</summary>
    private sealed class PendingWrite(Publication publication, string responseJson, IdempotencyClaim? claim, ActivityContext context)
    {
        private const int Waiting = 0, Taken = 1, Cancelled = 2;
        private readonly TaskCompletionSource<PublicationWriteResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state;

        public Publication Publication { get; } = publication;
        public string ResponseJson { get; } = responseJson;
        public IdempotencyClaim? Claim { get; } = claim;
        public long LockKey { get; } = claim is null ? 0 : PublicationWriteStatement.LockKey(publication.ClientId, claim.Key);
        public ActivityContext Context { get; } = context;
        public int BatchSize { get; private set; }
        public Task<PublicationWriteResult> Completion => _completion.Task;

        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

        public void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
                _completion.TrySetCanceled();
        }

        public void Complete(PublicationWriteResult result, int batchSize)
        {
            BatchSize = batchSize;
            _completion.TrySetResult(result);
        }

        public void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}

/// <summary>How the API groups concurrent publication writes (<see cref="PublicationWriter"/>).</summary>
public sealed class PublicationWriteOptions
{
    public const string Section = "Orbyt:PublicationWrites";

    /// <summary>Batches in flight at once; each holds one pooled connection while it runs.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>The most writes in one batch (one transaction).</summary>
    public int MaxBatch { get; set; } = 32;
}
