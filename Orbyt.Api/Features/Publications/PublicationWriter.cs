using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Writes publications, committing the writes of concurrent requests together (group commit): each request's write is
/// its own <see cref="PublicationWriteStatement"/>, and the writes waiting when a writer comes free go to PostgreSQL as
/// one batch — one round trip, one transaction, one commit and WAL flush for all of them (<see cref="StatementBatcher{TItem, TResult}"/>,
/// <see cref="PublicationWriteOptions.Writers"/> loops). At low load a batch holds one
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
public sealed partial class PublicationWriter : IHostedService
{
    public const string SourceName = "Orbyt.Api";
    public static readonly ActivitySource Source = new(SourceName);
    public const string BatchSizeTag = "orbyt.write.batch_size";

    private readonly IServiceScopeFactory _scopes;
    private readonly StatementBatcher<Write, PublicationWriteResult> _batcher;

    public PublicationWriter(IServiceScopeFactory scopes, IOptions<PublicationWriteOptions> options, ILogger<PublicationWriter> logger)
    {
        _scopes = scopes;
        _batcher = new(options.Value.Writers, options.Value.MaxBatch, ExecuteAsync, (count, sqlState) => LogBatchRefused(logger, count, sqlState),
            // The same Idempotency-Key waits for the next batch, where it finds the first write's record.
            fits: (batch, write) => write.Claim is null || batch.All(b => b.Item.Claim is null || b.Item.LockKey != write.LockKey));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batcher.Start();
        return Task.CompletedTask;
    }

    /// <summary>Lets the writers finish what was handed to them; a write arriving after this runs on its own.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _batcher.StopAsync(cancellationToken);

    public async Task<PublicationWriteResult> WriteAsync(Publication publication, string responseJson, IdempotencyClaim? claim, CancellationToken ct)
    {
        using var activity = Source.StartActivity("publication write");
        var write = new Write(publication, responseJson, claim, claim is null ? 0 : PublicationWriteStatement.LockKey(publication.ClientId, claim.Key));
        var (result, batchSize) = await _batcher.RunAsync(write, activity?.Context ?? Activity.Current?.Context ?? default, ct);
        activity?.SetTag(BatchSizeTag, batchSize);
        return result;
    }

    private async Task<PublicationWriteResult[]> ExecuteAsync(IReadOnlyList<Batched<Write>> batch)
    {
        using var activity = Batched<Write>.StartBatchActivity(Source, "publication write batch", batch);
        activity?.SetTag(BatchSizeTag, batch.Count);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        // Opened through EF so the database circuit sees the attempt (answers 503 at once while PostgreSQL is away).
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var write in batch.Select(b => b.Item))
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
                    results[i] = PublicationWriteStatement.Read(reader, batch[i].Item.Publication.Jobs.Count);
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

    /// <summary>One request's write; <paramref name="LockKey"/> is its Idempotency-Key's advisory lock (0 without a key).</summary>
    private sealed record Write(Publication Publication, string ResponseJson, IdempotencyClaim? Claim, long LockKey);
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
