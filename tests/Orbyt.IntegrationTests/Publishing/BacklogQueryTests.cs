using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;
using Orbyt.TokenRefresher.Scheduling;
using Orbyt.Uploader.Publishing;
using StackExchange.Redis;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Issue 16 item 9: the reconciler's pass, and the token refresher's pull-forward, cost what they act on, not the backlog;
/// and (issue 20) so does the Uploader's lease of one job.
/// A throw-away database on the AppHost's PostgreSQL (migrated like production) holds 20,000 finished jobs and a backlog of
/// 25,000 queued jobs already in the stream, plus the few rows each statement must find. Each statement is run exactly as
/// the services run it, under EXPLAIN (ANALYZE, BUFFERS), as a generic and as a custom plan, with statistics taken before
/// the backlog arrived (as during a burst, before autoanalyze) and after: it must find its rows and read a few pages,
/// where reading the backlog costs hundreds. And the reconciler's "is a backlog still undelivered" check is exact where
/// Redis's own lag is not (after undelivered entries were trimmed).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class BacklogQueryTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const int Backlog = 25_000;
    /// <summary>Far below what a statement that reads the backlog costs (asserted: &gt; 400 pages).</summary>
    private const int FewPages = 40;
    private readonly string _database = $"orbyt_backlog_{Guid.NewGuid():N}"[..30];
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await TestDatabase.CreateThrowAwayAsync(fixture, _database);

    public Task DisposeAsync() => TestDatabase.DropAsync(fixture, _database);

    [Fact]
    public async Task The_reconcilers_queries_and_the_refreshers_pull_forward_read_a_few_pages_whatever_the_backlog_and_the_statistics()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, Seed);
        // Reading the queued jobs is what the statements must not do: that costs hundreds of pages here.
        Assert.True(await BuffersAsync(connection, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT count(*) FROM jobs WHERE status = 'queued'") > 400);
        Guid backlogJob;
        await using (var pick = new NpgsqlCommand("SELECT id FROM jobs WHERE status = 'queued' AND platform = 'youtube' AND next_attempt_at <= now() ORDER BY enqueued_at DESC, id LIMIT 1", connection))
            backlogJob = (Guid)(await pick.ExecuteScalarAsync())!;

        foreach (var statistics in new[] { "taken before the backlog", "taken with the backlog" })
        {
            if (statistics == "taken with the backlog")
                await ExecuteAsync(connection, "ANALYZE jobs; ANALYZE connections; ANALYZE credentials;");
            foreach (var plan in new[] { "force_generic_plan", "force_custom_plan" })
            {
                var context = $"statistics {statistics}, {plan}";
                await ExecuteAsync(connection, $"SET plan_cache_mode = {plan}");

                var (dueRows, dueBuffers) = await PlanAsync(connection, JobReconciler.DueQuery, ("now", "now()"), ("limit", "500"));
                Assert.True(dueRows == 3, $"{context}: the due query found {dueRows} jobs, not the 3 due ones");
                Assert.True(dueBuffers <= FewPages, $"{context}: the due query read {dueBuffers} pages");

                var (staleRows, staleBuffers) = await PlanAsync(connection, JobReconciler.StaleQuery, ("now", "now()"), ("stale", "now() - interval '60 seconds'"), ("limit", "500"));
                Assert.True(staleRows == 0, $"{context}: the stale query found {staleRows} jobs; the backlog was enqueued just now");
                Assert.True(staleBuffers <= FewPages, $"{context}: the stale query read {staleBuffers} pages");

                // The lease of one backlog job: that row, by its primary key — not a walk through the queued jobs' partial
                // index, which statistics taken before the burst make look empty (the pipeline bench's drain did that:
                // 12 ms per lease, reading the backlog).
                var (leased, leaseBuffers) = await PlanAsync(connection, JobLeases.LeaseStatement, ("ids", $"ARRAY['{backlogJob}']::uuid[]"), ("owner", "'test'"),
                    ("lease_until", "now() + interval '5 minutes'"), ("now", "now()"), ("due", "now() + interval '1 second'"));
                Assert.True(leased == 1, $"{context}: the lease took {leased} rows, not the one job");
                Assert.True(leaseBuffers <= FewPages, $"{context}: the lease read {leaseBuffers} pages");

                var (_, pullBuffers) = await PlanAsync(connection, RefreshScheduler.PullForwardStatement,
                    ("now", "now()"), ("horizon", "now() + interval '15 minutes'"), ("ahead", "now() + interval '10 minutes'"));
                // Six candidate credentials, each a connection lookup and one index descent.
                Assert.True(pullBuffers <= 3 * FewPages, $"{context}: the pull-forward read {pullBuffers} pages");
            }
        }

        // What the pull-forward does: credentials 0–3 (a due YouTube job each) become due now; 4 (no job), 5 (jobs only in
        // three hours) and 6 (Meta) do not.
        await using var db = new OrbytDbContext(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(_connectionString).UseSnakeCaseNamingConvention().Options);
        var scheduler = new RefreshScheduler(null!, Options.Create(new TokenRefreshOptions()), null!, TimeProvider.System, NullLogger<RefreshScheduler>.Instance);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(4, await scheduler.PullForwardForJobsAsync(db, now, CancellationToken.None));
        var pulled = await db.Credentials.Where(c => c.NextCheckAt <= now).Select(c => c.Subject).OrderBy(s => s).ToListAsync();
        Assert.Equal(["s0", "s1", "s2", "s3"], pulled);
    }

    [Fact]
    public async Task Undelivered_entries_are_counted_exactly_after_a_trim_where_the_groups_lag_is_wrong()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var db = redis.GetDatabase();
        var stream = $"test:backlog:{Guid.NewGuid():N}";
        const string group = "g";
        try
        {
            Assert.False(await JobQueue.HasUndeliveredAsync(db, stream, group), "no stream: nothing undelivered (a Redis that restarted empty)");
            await db.StreamCreateConsumerGroupAsync(stream, group, "0", createStream: true);
            for (var i = 0; i < 10; i++)
                await db.StreamAddAsync(stream, "job_id", i);
            Assert.True(await JobQueue.HasUndeliveredAsync(db, stream, group));
            await db.StreamReadGroupAsync(stream, group, "c", ">", count: 3);
            // Undelivered entries trimmed away: Redis's own lag is no longer the truth (7.0 still counts the trimmed ones,
            // later versions say null) — 2 entries still wait to be delivered.
            await db.StreamTrimAsync(stream, 2);
            Assert.True(await JobQueue.HasUndeliveredAsync(db, stream, group), "two entries wait");
            await db.StreamReadGroupAsync(stream, group, "c", ">", count: 10);
            Assert.False(await JobQueue.HasUndeliveredAsync(db, stream, group));
            // Entries added and then all trimmed before delivery (the pipeline bench's warm-up does this): nothing is
            // left to deliver, so the reconciler must look for lost entries again.
            for (var i = 0; i < 5; i++)
                await db.StreamAddAsync(stream, "job_id", i);
            await db.StreamTrimAsync(stream, 0);
            Assert.False(await JobQueue.HasUndeliveredAsync(db, stream, group), "every entry is gone, whatever the group's lag says");
        }
        finally
        {
            await db.KeyDeleteAsync(stream);
        }
    }

    /// <summary>
    /// 20,000 finished jobs, statistics taken; then (autovacuum off, so the statistics stay as they were) the backlog —
    /// 25,000 queued YouTube jobs on four channels, in the stream — 3 jobs due and never enqueued, 50 waiting for later, and
    /// credentials 0–6 with their connections for the pull-forward. Foreign keys are not checked (session_replication_role).
    /// </summary>
    private static readonly string Seed = $$"""
        SET session_replication_role = replica;
        ALTER TABLE jobs SET (autovacuum_enabled = false);
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
        SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'u', 'facebook', 'published', 1, now() - interval '2 hours', NULL, now(), now()
        FROM generate_series(1, 20000);
        ANALYZE jobs;
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
        SELECT gen_random_uuid(), gen_random_uuid(), ('00000000-0000-0000-0000-00000000000' || (i % 4))::uuid, gen_random_uuid(), 'u', 'youtube', 'queued', 0,
               now() - interval '1 minute', now(), now(), now()
        FROM generate_series(1, {{Backlog}}) i;
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
        SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'u', 'facebook', 'queued', 1, now() - interval '10 seconds', NULL, now(), now()
        FROM generate_series(1, 3);
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
        SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'u', 'facebook', 'queued', 1, now() + interval '1 hour', NULL, now(), now()
        FROM generate_series(1, 50);
        INSERT INTO credentials (id, client_id, user_id, kind, subject, access_token_ciphertext, scopes, consecutive_failures, created_at, updated_at, next_check_at, access_token_expires_at)
        SELECT ('10000000-0000-0000-0000-00000000000' || i)::uuid, gen_random_uuid(), 'u', CASE WHEN i = 6 THEN 'meta' ELSE 'google' END, 's' || i, '\x00', '{}', 0,
               now(), now(), now() + interval '1 hour', now() + interval '1 minute'
        FROM generate_series(0, 6) i;
        INSERT INTO connections (id, client_id, user_id, platform, account_id, status, scopes, connected_at, updated_at, credential_id)
        SELECT ('00000000-0000-0000-0000-00000000000' || i)::uuid, gen_random_uuid(), 'u', CASE WHEN i = 6 THEN 'facebook' ELSE 'youtube' END, 'a' || i, 'active', '{}',
               now(), now(), ('10000000-0000-0000-0000-00000000000' || i)::uuid
        FROM generate_series(0, 6) i;
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
        SELECT gen_random_uuid(), gen_random_uuid(), '00000000-0000-0000-0000-000000000005', gen_random_uuid(), 'u', 'youtube', 'queued', 0, now() + interval '3 hours', NULL, now(), now()
        FROM generate_series(1, 2000);
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at, created_at, updated_at)
        SELECT gen_random_uuid(), gen_random_uuid(), '00000000-0000-0000-0000-000000000006', gen_random_uuid(), 'u', 'facebook', 'queued', 0, now(), now(), now(), now()
        FROM generate_series(1, 5);
        SET session_replication_role = origin;
        """;

    /// <summary>
    /// The statement as the service sends it (its named parameters bound to the SQL expressions given), prepared and run
    /// under EXPLAIN (ANALYZE, BUFFERS) inside a transaction that is rolled back: the rows it returned or changed and the
    /// pages it read.
    /// </summary>
    private static async Task<(long Rows, long Buffers)> PlanAsync(NpgsqlConnection connection, string statement, params (string Name, string Value)[] arguments)
    {
        var names = arguments.Select(a => a.Name).ToList();
        var text = System.Text.RegularExpressions.Regex.Replace(statement, "@([a-z_]+)", m => "$" + (names.IndexOf(m.Groups[1].Value) + 1));
        Assert.DoesNotContain("$0", text);
        var types = string.Join(", ", names.Select(n => n switch { "limit" => "int", "id" => "uuid", "ids" => "uuid[]", "owner" => "text", _ => "timestamptz" }));
        await using var tx = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"PREPARE checked({types}) AS {text}");
        try
        {
            await using var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE checked({string.Join(", ", arguments.Select(a => a.Value))})", connection);
            var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
            return (plan.GetProperty("Actual Rows").GetInt64(), Buffers(plan));
        }
        finally
        {
            await tx.RollbackAsync();
            await ExecuteAsync(connection, "DEALLOCATE ALL");
        }
    }

    private static async Task<long> BuffersAsync(NpgsqlConnection connection, string explain)
    {
        await using var command = new NpgsqlCommand(explain, connection);
        return Buffers(JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan"));
    }

    /// <summary>Pages read by the whole plan (its top node counts its children's), hit in shared buffers or read.</summary>
    private static long Buffers(JsonElement plan) =>
        plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
