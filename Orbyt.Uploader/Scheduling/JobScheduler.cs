using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Hosting;
using Orbyt.Core.Jobs;
using Orbyt.Uploader.Publishing;
using StackExchange.Redis;

namespace Orbyt.Uploader.Scheduling;

/// <summary>
/// Releases scheduled jobs into the job stream when their time comes, in every Uploader replica. PostgreSQL is the
/// ledger: a pass takes the due rows of the partial index <c>ix_jobs_scheduled_release</c> with
/// <c>FOR UPDATE SKIP LOCKED</c> and turns them <c>queued</c> in the same statement — the row lock is the claim, so two
/// replicas never release one job — then adds their stream entries. A pass reads only the due rows: its cost does not
/// grow with the jobs scheduled further ahead. Between releases it runs each job's pre-flight check when that is due
/// (<see cref="ScheduledJobPreflight"/>). Nothing lives in memory: a restarted replica, or a Redis that lost its data,
/// loses nothing (a released job whose entry was lost is re-added by the reconciler).
/// </summary>
public sealed partial class JobScheduler(
    IServiceScopeFactory scopes,
    IConnectionMultiplexer redis,
    LoopHeartbeat heartbeat,
    IOptions<UploaderOptions> options,
    TimeProvider time,
    ILogger<JobScheduler> logger) : BackgroundService
{
    public const string LoopName = "job-scheduler";
    private static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(60);
    private const int PreflightBatch = 50;
    private readonly string _owner = options.Value.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}";
    private DateTimeOffset _lastPreflight = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Register(LoopName, MaxSilence);
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = (await ReleaseDueAsync(stoppingToken)).Count == options.Value.ReleaseBatch;
                if (!full && time.GetUtcNow() - _lastPreflight >= options.Value.PreflightInterval)
                {
                    _lastPreflight = time.GetUtcNow();
                    await PreflightDueAsync(stoppingToken);
                }
                heartbeat.Beat(LoopName, MaxSilence);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex.GetType().Name);
            }
            // A full batch means more are due now: go on at once.
            if (!full)
                await Task.Delay(options.Value.SchedulerInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Releases up to <see cref="UploaderOptions.ReleaseBatch"/> due jobs: one statement claims and flips them, then one
    /// stream entry each (in the job's own trace). Returns the jobs released.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ReleaseDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        var now = time.GetUtcNow();
        var released = await db.Database.SqlQuery<ReleasedJob>($"""
            WITH due AS (
              SELECT id FROM jobs
              WHERE status = 'scheduled' AND next_attempt_at <= {now}
              ORDER BY next_attempt_at
              LIMIT {options.Value.ReleaseBatch}
              FOR UPDATE SKIP LOCKED)
            UPDATE jobs j SET status = 'queued', next_attempt_at = {now}, enqueued_at = {now}, released_at = {now},
                              released_by = {_owner}, preflight_at = NULL, updated_at = {now}, sequence = j.sequence + 1
            FROM due WHERE j.id = due.id AND j.status = 'scheduled'
            RETURNING j.id, j.trace_parent, j.publish_at
            """).ToListAsync(ct);
        if (released.Count == 0)
            return [];

        foreach (var job in released)
        {
            // One span per release in the publication's trace, so the dashboard shows when and by whom it was released.
            ActivityContext.TryParse(job.TraceParent, null, out var parent);
            using var activity = JobRunner.Source.StartActivity("job release", ActivityKind.Internal, parent);
            activity?.SetTag(JobQueue.JobIdTag, job.Id.ToString());
            activity?.SetTag("orbyt.job.released_by", _owner);
            if (job.PublishAt is { } publishAt)
                activity?.SetTag("orbyt.job.release_lateness_ms", (now - publishAt).TotalMilliseconds);
        }
        try
        {
            await JobQueue.EnqueueAsync(redis.GetDatabase(), released.Select(j => (j.Id, j.TraceParent)));
        }
        catch (RedisException ex)
        {
            // Released in the ledger but not rung: the reconciler adds entries for due jobs never enqueued within a second.
            var ids = released.Select(j => j.Id).ToList();
            await db.Jobs.Where(j => ids.Contains(j.Id) && j.Status == JobStatuses.Queued && j.EnqueuedAt == now)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.EnqueuedAt, (DateTimeOffset?)null), ct);
            LogEnqueueDeferred(logger, ids.Count, ex.GetType().Name);
        }
        LogReleased(logger, released.Count);
        return released.Select(j => j.Id).ToArray();
    }

    /// <summary>
    /// Runs the pre-flight checks that are due. Each job is leased by moving its <c>preflight_at</c> on by
    /// <see cref="UploaderOptions.PreflightLease"/> in the claiming statement: a replica that dies mid-check leaves the
    /// job to be checked again after that, and no row lock is held across the platform calls.
    /// </summary>
    public async Task<int> PreflightDueAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
            var now = time.GetUtcNow();
            var leaseUntil = now + options.Value.PreflightLease;
            due = await db.Database.SqlQuery<Guid>($"""
                WITH due AS (
                  SELECT id FROM jobs
                  WHERE status = 'scheduled' AND preflight_at IS NOT NULL AND preflight_at <= {now}
                  ORDER BY preflight_at
                  LIMIT {PreflightBatch}
                  FOR UPDATE SKIP LOCKED)
                UPDATE jobs j SET preflight_at = {leaseUntil}
                FROM due WHERE j.id = due.id
                RETURNING j.id AS "Value"
                """).ToListAsync(ct);
        }
        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ScheduledJobPreflight>().RunAsync(id, ct);
        }
        return due.Count;
    }

    private sealed record ReleasedJob(Guid Id, string? TraceParent, DateTimeOffset? PublishAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scheduler released {Count} jobs.")]
    private static partial void LogReleased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler released {Count} jobs but could not add their stream entries ({ErrorType}); the reconciler adds them.")]
    private static partial void LogEnqueueDeferred(ILogger logger, int count, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduler pass failed ({ErrorType}).")]
    private static partial void LogPassFailed(ILogger logger, string errorType);
}
