using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Data;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Takes the leases of the steps a replica starts, the leases asked for at the same moment in one statement: one round
/// trip, one commit and WAL flush for all of them (<see cref="StatementBatcher{TItem, TResult}"/>, one loop). A read of the
/// stream starts up to <see cref="UploaderOptions.ReadBatch"/> steps at once, and a lease each was a third of a job's
/// commits (docs/benchmarks.md, issue 20). At low load a batch is one lease.
/// <para>
/// Each lease answers for itself, as before: a job is taken when it is due and nobody holds it, whatever the other
/// rows of the statement, and a job not taken is answered null. Two asks for one job (a stream entry and its
/// re-added duplicate) in one batch: the first gets the job, the other null, as a second lease would have found it
/// held. If PostgreSQL refuses the statement, nothing of it was leased and each lease runs again on its own; any other
/// failure (connection lost, circuit open) fails every lease of the batch as it would have failed the lease alone,
/// and their stream entries stay pending.
/// </para>
/// An ask cancelled before its batch is sent leases nothing; once sent, it completes.
/// </summary>
public sealed partial class JobLeases : IHostedService
{
    public const string BatchSizeTag = "orbyt.lease.batch_size";

    /// <summary>
    /// The lease: the rows found by their primary keys. The status test is wrapped in <c>IS TRUE</c> (the same result
    /// for a non-null status) so the planner cannot prove the partial index of open jobs (<c>status IN ('queued',
    /// 'processing')</c>) usable for it: with statistics taken before a burst that index looks empty, and a lease that
    /// walked it read the whole backlog for its rows — 12 ms and ≈ 500 pages per lease during the pipeline bench's drain
    /// (docs/decisions.md, "Issue 20: the lease read the backlog"). Public for the test that holds its plan to the
    /// leased rows (BacklogQueryTests).
    /// </summary>
    public const string LeaseStatement = """
        UPDATE jobs SET lease_until = @lease_until, lease_owner = @owner, status = 'processing', updated_at = @now
        WHERE id = ANY(@ids) AND (status IN ('queued', 'processing')) IS TRUE
          AND (lease_until IS NULL OR lease_until < @now) AND (next_attempt_at IS NULL OR next_attempt_at <= @due)
        RETURNING *, xmin
        """;

    /// <summary>
    /// Everything else the leased jobs' steps need, for the whole batch in one round trip: each job's publication
    /// (attached by its runner: it records completion), the connection with its credential (and the subject of the user
    /// grant a Page token comes from: Meta limits calls per user too), how many jobs the publication has (one: no
    /// siblings to look at when it ends) and whether the client has a webhook endpoint. Untracked, one instance per
    /// job, so two jobs of one publication in a batch never share an entity. Compiled once.
    /// </summary>
    private static readonly Func<OrbytDbContext, Guid[], IAsyncEnumerable<StepData>> LoadSteps = EF.CompileAsyncQuery(
        (OrbytDbContext db, Guid[] jobIds) =>
            (from j in db.Jobs.Where(j => jobIds.Contains(j.Id))
             from p in db.Publications.Where(p => p.Id == j.PublicationId)
             from c in db.Connections.Where(c => c.Id == j.ConnectionId)
             from credential in db.Credentials.Where(x => x.Id == c.CredentialId).DefaultIfEmpty()
             select new StepData(j.Id, p, c, credential,
                 db.Credentials.Where(x => credential != null && x.Id == credential.ParentCredentialId).Select(x => x.Subject).FirstOrDefault(),
                 p.Jobs.Count, db.WebhookEndpoints.Any(e => e.ClientId == p.ClientId && e.Enabled)))
            .AsNoTracking());

    private readonly IServiceScopeFactory _scopes;
    private readonly IOptions<UploaderOptions> _options;
    private readonly TimeProvider _time;
    private readonly StatementBatcher<Ask, LeasedJob?> _batcher;

    public JobLeases(IServiceScopeFactory scopes, IOptions<UploaderOptions> options, TimeProvider time, ILogger<JobLeases> logger)
    {
        (_scopes, _options, _time) = (scopes, options, time);
        _batcher = new(1, options.Value.LeaseBatch, ExecuteAsync, (count, sqlState) => LogBatchRefused(logger, count, sqlState),
            // One statement leases to one owner: an ask for another (a second consumer in this process) goes in the next batch.
            fits: (batch, ask) => ask.Owner == batch[0].Item.Owner);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _batcher.Start();
        return Task.CompletedTask;
    }

    /// <summary>Lets the leaser finish what was handed to it; a lease asked for after this runs on its own.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _batcher.StopAsync(cancellationToken);

    /// <summary>
    /// Leases the job to <paramref name="owner"/> until now + <see cref="UploaderOptions.LeaseDuration"/> and returns it
    /// with what its step needs, tracked by no context (the caller attaches them; the job's <c>xmin</c> is the leased
    /// row's). Null: not due, leased or finished.
    /// </summary>
    public async Task<LeasedJob?> LeaseAsync(Guid jobId, string owner, CancellationToken ct)
    {
        using var activity = JobRunner.Source.StartActivity("job lease");
        var (job, batchSize) = await _batcher.RunAsync(new Ask(jobId, owner), activity?.Context ?? Activity.Current?.Context ?? default, ct);
        activity?.SetTag(BatchSizeTag, batchSize);
        return job;
    }

    private async Task<LeasedJob?[]> ExecuteAsync(IReadOnlyList<Batched<Ask>> batch)
    {
        using var activity = Batched<Ask>.StartBatchActivity(JobRunner.Source, "job lease batch", batch);
        activity?.SetTag(BatchSizeTag, batch.Count);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        var now = _time.GetUtcNow();
        var rows = await db.Jobs.FromSqlRaw(LeaseStatement,
                new NpgsqlParameter<Guid[]>("ids", batch.Select(b => b.Item.JobId).Distinct().ToArray()),
                new NpgsqlParameter<string>("owner", batch[0].Item.Owner),
                new NpgsqlParameter<DateTimeOffset>("lease_until", now + _options.Value.LeaseDuration),
                new NpgsqlParameter<DateTimeOffset>("now", now), new NpgsqlParameter<DateTimeOffset>("due", now.AddSeconds(1)))
            .AsNoTracking().ToListAsync();
        var steps = new Dictionary<Guid, StepData>(rows.Count);
        if (rows.Count > 0)
        {
            await foreach (var step in LoadSteps(db, rows.Select(j => j.Id).ToArray()))
                steps[step.JobId] = step;
        }
        // Each row answers one ask: a second ask for the same job finds it taken.
        var leased = rows.ToDictionary(j => j.Id);
        return batch.Select(b => leased.Remove(b.Item.JobId, out var job)
            ? new LeasedJob(job, steps.TryGetValue(job.Id, out var step) ? step : throw new InvalidOperationException($"Job {job.Id}: its publication or connection is missing."))
            : null).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} job leases was refused ({SqlState}); each is leased on its own.")]
    private static partial void LogBatchRefused(ILogger logger, int count, string sqlState);

    private sealed record Ask(Guid JobId, string Owner);
}

/// <summary>A job leased for a step, with what the step needs (<see cref="JobLeases"/>).</summary>
public sealed record LeasedJob(Job Job, StepData Step);

/// <summary>What a step needs besides its job: see <see cref="JobLeases"/>.</summary>
public sealed record StepData(Guid JobId, Publication Publication, Connection Connection, Credential? Credential, string? ParentSubject, int JobCount, bool ClientHasEndpoint);
