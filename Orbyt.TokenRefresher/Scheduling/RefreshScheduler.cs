using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.TokenRefresher.Checks;

namespace Orbyt.TokenRefresher.Scheduling;

/// <summary>
/// One refresher replica's scheduling pass: pulls Google checks forward for credentials a job needs soon, claims a batch
/// of due credentials with a lease (one <c>UPDATE … FOR UPDATE SKIP LOCKED … RETURNING</c>, an index range scan on
/// <c>next_check_at</c>), and checks them with bounded parallelism, each through <see cref="CredentialCheck"/>'s
/// locked re-read. Any number of replicas (and the Uploader's on-demand refresh) can run at once.
/// </summary>
public sealed partial class RefreshScheduler(
    IServiceScopeFactory scopes,
    IOptions<TokenRefreshOptions> options,
    ScheduledRefreshTelemetry telemetry,
    TimeProvider time,
    ILogger<RefreshScheduler> logger)
{
    /// <summary>This replica's lease owner id (host name + process + instance), stored in <c>credentials.lease_owner</c>.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private TokenRefreshOptions Options => options.Value;

    public async Task<RefreshPassResult> RunPassAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<Guid> claimed;
        TimeSpan claimDuration;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
            var now = time.GetUtcNow();
            await PullForwardForJobsAsync(db, now, ct);
            await MeasureBacklogAsync(db, now, ct);
            var claimStarted = Stopwatch.GetTimestamp();
            claimed = await ClaimDueAsync(db, now, ct);
            claimDuration = Stopwatch.GetElapsedTime(claimStarted);
        }
        // A pass that found nothing is polling: no span (the dashboard shows work, not the loop going round).
        using var activity = claimed.Count == 0 ? null : CredentialTelemetry.Source.StartActivity("Refresh pass");
        activity?.SetTag("orbyt.claimed", claimed.Count);

        int refreshed = 0, checkedCount = 0, skipped = 0, failed = 0;
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Options.Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            RefreshOutcome outcome;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                outcome = await scope.ServiceProvider.GetRequiredService<CredentialCheck>().CheckAsync(id, Owner, token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // A database failure: the lease runs out and another pass takes the credential again.
                LogCheckFailed(logger, id, ex);
                outcome = RefreshOutcome.Failed;
            }
            switch (outcome)
            {
                case RefreshOutcome.Refreshed or RefreshOutcome.Reexchanged: Interlocked.Increment(ref refreshed); break;
                case RefreshOutcome.Checked: Interlocked.Increment(ref checkedCount); break;
                case RefreshOutcome.Skipped: Interlocked.Increment(ref skipped); break;
                default: Interlocked.Increment(ref failed); break;
            }
        });

        var duration = Stopwatch.GetElapsedTime(started);
        telemetry.PassCompleted(duration);
        if (claimed.Count > 0)
            LogPass(logger, claimed.Count, refreshed, checkedCount, skipped, failed, duration.TotalMilliseconds);
        return new RefreshPassResult(claimed.Count, refreshed, checkedCount, skipped, failed, claimDuration, duration);
    }

    /// <summary>
    /// Claims up to BatchSize due credentials for this replica. Rows another replica has leased, or that an on-demand
    /// refresh holds locked, are skipped rather than waited for.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ClaimDueAsync(OrbytDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var leaseUntil = now + Options.Lease;
        return await db.Database.SqlQuery<Guid>($"""
            UPDATE credentials SET lease_until = {leaseUntil}, lease_owner = {Owner}
            WHERE id IN (
                SELECT id FROM credentials
                WHERE invalidated_at IS NULL AND next_check_at <= {now}
                  AND (lease_until IS NULL OR lease_until < {now})
                ORDER BY next_check_at
                LIMIT {Options.BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(ct);
    }

    /// <summary>The claim's inner query, for EXPLAIN in the benchmark and the docs.</summary>
    public const string DueQueryForExplain = """
        SELECT id FROM credentials
        WHERE invalidated_at IS NULL AND next_check_at <= now()
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_check_at
        LIMIT 200
        FOR UPDATE SKIP LOCKED
        """;

    /// <summary>
    /// A Google credential whose access token expires within the refresh-ahead window becomes due now when one of its
    /// connections has a queued or processing YouTube job whose next attempt is within the lookahead (or not set). Driven from the
    /// credentials that could be pulled forward (Google, not yet due, token expiring), each connection probed for one
    /// such job with two descents of the open-YouTube-jobs index <c>(connection_id, next_attempt_at)</c> (due within the
    /// lookahead; no time set), each <c>LIMIT 1</c> so the planner cannot turn them into a scan: the pass
    /// costs what those credentials cost, never what the jobs queued for them do (a backlog of 25,000 jobs on a few
    /// channels reads a few index pages). Google credentials serve YouTube connections only.
    /// </summary>
    public async Task<int> PullForwardForJobsAsync(OrbytDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var horizon = now + Options.JobLookahead;
        var ahead = now + Options.GoogleRefreshAhead;
        return await db.Database.ExecuteSqlRawAsync(PullForwardStatement,
            [new NpgsqlParameter<DateTimeOffset>("now", now), new NpgsqlParameter<DateTimeOffset>("horizon", horizon), new NpgsqlParameter<DateTimeOffset>("ahead", ahead)], ct);
    }

    /// <summary>The pull-forward's statement (@now, @horizon = the jobs' lookahead, @ahead = the refresh-ahead limit); public for its plan test.</summary>
    public const string PullForwardStatement = """
        UPDATE credentials c SET next_check_at = @now
        WHERE c.id IN (
            SELECT cr.id FROM credentials cr
            JOIN connections cn ON cn.credential_id = cr.id AND cn.status = 'active'
            LEFT JOIN LATERAL (SELECT 1 AS found FROM jobs j
                               WHERE j.connection_id = cn.id AND j.status IN ('queued', 'processing') AND j.platform = 'youtube'
                                 AND j.next_attempt_at <= @horizon
                               LIMIT 1) soon ON true
            LEFT JOIN LATERAL (SELECT 1 AS found FROM jobs j
                               WHERE j.connection_id = cn.id AND j.status IN ('queued', 'processing') AND j.platform = 'youtube'
                                 AND j.next_attempt_at IS NULL
                               LIMIT 1) unscheduled ON true
            WHERE cr.kind = 'google' AND cr.invalidated_at IS NULL AND cr.next_check_at > @now
              AND (cr.access_token_expires_at IS NULL OR cr.access_token_expires_at < @ahead)
              AND (soon.found IS NOT NULL OR unscheduled.found IS NOT NULL))
        """;

    private async Task MeasureBacklogAsync(OrbytDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var due = db.Credentials.Where(c => c.InvalidatedAt == null && c.NextCheckAt <= now);
        var count = await due.LongCountAsync(ct);
        var oldest = count == 0 ? null : await due.MinAsync(c => c.NextCheckAt, ct);
        telemetry.Backlog(count, oldest is { } o ? now - o : TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refresh pass: {Claimed} claimed, {Refreshed} refreshed, {Checked} checked, {Skipped} skipped, {Failed} failed in {Milliseconds:F0} ms.")]
    private static partial void LogPass(ILogger logger, int claimed, int refreshed, int @checked, int skipped, int failed, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking credential {CredentialId} failed; its lease will expire and it will be retried.")]
    private static partial void LogCheckFailed(ILogger logger, Guid credentialId, Exception exception);
}
