using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Hosting;
using Orbyt.Core.Jobs;
using Npgsql;
using StackExchange.Redis;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Rings the doorbell for jobs that are due and have no live stream entry: scheduled waits whose time came, and
/// entries lost between commit and XADD or in a Redis restart. Postgres decides; duplicates are harmless because
/// the runner leases the row. Replicas share the work with FOR UPDATE SKIP LOCKED.
/// </summary>
public sealed partial class JobReconciler(
    IServiceScopeFactory scopes,
    IConnectionMultiplexer redis,
    LoopHeartbeat heartbeat,
    IOptions<UploaderOptions> options,
    TimeProvider time,
    ILogger<JobReconciler> logger) : BackgroundService
{
    public const string LoopName = "job-reconciler";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(60);
    private const int BatchSize = 500;
    private DateTimeOffset _lastTrim = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
                if (time.GetUtcNow() - _lastTrim >= options.Value.StreamTrimInterval)
                {
                    _lastTrim = time.GetUtcNow();
                    await TrimAsync();
                }
                heartbeat.Beat(LoopName, MaxSilence);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex.GetType().Name);
            }
            await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The jobs due and never enqueued since they became due (a wait or retry whose time came): a range scan of the
    /// partial index that holds exactly the queued/processing jobs without an entry (<c>ix_jobs_next_attempt_at</c>,
    /// predicate <c>status IN ('queued','processing') AND enqueued_at IS NULL</c>), stopping at the first job not yet due.
    /// Public for the test that holds its plan to that (ReconcilerPlanTests).
    /// </summary>
    public const string DueQuery = """
        SELECT id, trace_parent FROM jobs
        WHERE status IN ('queued', 'processing') AND enqueued_at IS NULL AND next_attempt_at <= @now
          AND (lease_until IS NULL OR lease_until < @now)
        ORDER BY next_attempt_at
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    /// <summary>
    /// The jobs enqueued before <c>@stale</c> (now − <c>RequeueAfter</c>) and still not done — their entry was lost: a range scan
    /// of <c>(enqueued_at, next_attempt_at)</c> over queued/processing jobs. Run only when the group has no undelivered
    /// entries, so what it reads is the jobs being run right now.
    /// </summary>
    public const string StaleQuery = """
        SELECT id, trace_parent FROM jobs
        WHERE status IN ('queued', 'processing') AND enqueued_at < @stale AND next_attempt_at <= @now
          AND (lease_until IS NULL OR lease_until < @now)
        ORDER BY enqueued_at
        LIMIT @limit
        FOR UPDATE SKIP LOCKED
        """;

    /// <summary>
    /// One pass: the jobs due and never enqueued since they became due (<see cref="DueQuery"/>), then — unless the group
    /// still has undelivered entries — the jobs enqueued more than <c>RequeueAfter</c> ago and still not done
    /// (<see cref="StaleQuery"/>). A pass reads what it re-adds (at most <see cref="BatchSize"/>) plus the jobs running
    /// right now, never the backlog waiting in the stream (docs/benchmarks.md, "The reconciler during a backlog").
    /// Its time is logged at Debug, which the pipeline bench reads.
    /// </summary>
    private async Task PassAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        var now = time.GetUtcNow();
        // A job enqueued long ago may have lost its entry (a crash between commit and XADD, a Redis restart) — or it may
        // simply be waiting in a backlog the consumers have not reached yet. While the group has undelivered entries
        // (lag > 0) only due jobs without an entry are added; the stale ones are looked at once the backlog is read.
        var undelivered = await JobQueue.HasUndeliveredAsync(redis.GetDatabase());
        var stale = now - options.Value.RequeueAfter;
        var added = 0;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            added = 0;
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var due = await db.Database.SqlQueryRaw<DueJob>(DueQuery, Parameter("now", now), Parameter("limit", BatchSize)).ToListAsync(ct);
            if (!undelivered && due.Count < BatchSize)
                due.AddRange(await db.Database.SqlQueryRaw<DueJob>(StaleQuery, Parameter("now", now), Parameter("stale", stale), Parameter("limit", BatchSize - due.Count)).ToListAsync(ct));
            if (due.Count == 0)
            {
                await tx.CommitAsync(ct);
                return;
            }
            // Each entry carries its job's trace context: the next step joins the publication's trace.
            await JobQueue.EnqueueAsync(redis.GetDatabase(), due.Select(j => (j.Id, j.TraceParent)));
            var ids = due.Select(j => j.Id).ToList();
            await db.Jobs.Where(j => ids.Contains(j.Id)).ExecuteUpdateAsync(s => s.SetProperty(j => j.EnqueuedAt, now), ct);
            await tx.CommitAsync(ct);
            added = ids.Count;
            LogEnqueued(logger, ids.Count);
        });
        LogPass(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds, undelivered, added);
    }

    private static NpgsqlParameter Parameter<T>(string name, T value) => new NpgsqlParameter<T>(name, value);

    /// <summary>
    /// Drops the entries every consumer is done with, so the stream does not grow for ever: those delivered to the
    /// group and no longer pending, i.e. acknowledged — everything before the oldest pending entry, or up to the last
    /// delivered one when none is pending. Undelivered and pending entries stay.
    /// </summary>
    private async Task TrimAsync()
    {
        var db = redis.GetDatabase();
        try
        {
            var group = (await db.StreamGroupInfoAsync(JobQueue.Stream)).FirstOrDefault(g => g.Name == JobQueue.Group);
            if (group.Name is null || group.LastDeliveredId is not { } lastDelivered) return;
            var pending = await db.StreamPendingAsync(JobQueue.Stream, JobQueue.Group);
            // Pending entries were all delivered, so the oldest of them is at or before the last delivered one.
            var keepFrom = pending.PendingMessageCount > 0 ? pending.LowestPendingMessageId.ToString() : StreamIds.Next(lastDelivered);
            var trimmed = await db.StreamTrimByMinIdAsync(JobQueue.Stream, keepFrom, useApproximateMaxLength: false);
            if (trimmed > 0) LogTrimmed(logger, trimmed, keepFrom);
        }
        catch (RedisServerException)
        {
            // No stream or group yet.
        }
    }

    /// <summary>A due job and the request's trace context it was created in (columns mapped by the snake_case convention).</summary>
    private sealed record DueJob(Guid Id, string? TraceParent);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Trimmed {Count} acknowledged entries from the job stream (kept from {KeepFrom}).")]
    private static partial void LogTrimmed(ILogger logger, long count, string keepFrom);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciler enqueued {Count} due jobs.")]
    private static partial void LogEnqueued(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciler pass: {Milliseconds:F3} ms, undelivered entries {Undelivered}, {Added} jobs re-added.")]
    private static partial void LogPass(ILogger logger, double milliseconds, bool undelivered, int added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler pass failed ({ErrorType}).")]
    private static partial void LogPassFailed(ILogger logger, string errorType);
}
