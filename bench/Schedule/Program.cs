using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Bench.TokenRefresher;
using Orbyt.Core.Data;
using Orbyt.Core.Hosting;
using Orbyt.Core.Jobs;
using Orbyt.Uploader.Publishing;
using Orbyt.Uploader.Scheduling;
using StackExchange.Redis;

// Lateness of scheduled publishing (issue 18): --total scheduled jobs in PostgreSQL, --due of them falling due within the
// same --window-seconds; --replicas JobScheduler instances (the Uploader's own class, each with its own connection pool
// and Redis connection) release them into a local redis-server. Lateness = released_at − publish_at per due job.
//
// dotnet run -c Release --project bench/Schedule -- [--total 100000] [--due 10000] [--window-seconds 60] [--replicas 2]
//   [--lead-seconds 20] [--interval-ms 200] [--batch 1000] [--connection-string "Host=…;Username=…;Password=…"]
var options = BenchArgs.Parse(args);
Console.WriteLine($"scheduler benchmark: {options.Total:N0} scheduled jobs, {options.Due:N0} due within {options.WindowSeconds} s, {options.Replicas} replica(s), interval {options.IntervalMs} ms, batch {options.Batch}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");

await using var localPostgres = options.ConnectionString is null ? await LocalPostgres.StartAsync() : null;
var server = options.ConnectionString ?? localPostgres!.ConnectionString;
var database = "orbyt_bench_" + Guid.NewGuid().ToString("N")[..8];
await Sql(server, $"CREATE DATABASE {database}");
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 20 }.ConnectionString;
using var redisServer = RedisServer.Start();
try
{
    await using (var db = Context(connectionString))
        await db.Database.MigrateAsync();

    var now = DateTimeOffset.UtcNow;
    // The due minute starts --lead-seconds from now: the seeding and the schedulers' start happen before it.
    var dueFrom = now.AddSeconds(options.LeadSeconds);
    var seed = Stopwatch.StartNew();
    await SeedAsync(connectionString, options, now, dueFrom);
    Console.WriteLine($"seeded {options.Total:N0} jobs ({options.Due:N0} due from {dueFrom:HH:mm:ss} over {options.WindowSeconds} s, the rest 1–30 days ahead) in {seed.Elapsed.TotalSeconds:F1} s");
    if (DateTimeOffset.UtcNow > dueFrom)
        Console.WriteLine("warning: seeding ran past the start of the due minute; raise --lead-seconds");

    // An idle pass (nothing due yet): what the release statement reads with 100,000 rows scheduled ahead.
    Console.WriteLine("idle release pass, EXPLAIN (ANALYZE, BUFFERS) of its claiming query:");
    foreach (var line in await ExplainAsync(connectionString, options.Batch))
        Console.WriteLine("  " + line);

    var schedulers = Enumerable.Range(1, options.Replicas).Select(i => Replica(connectionString, redisServer.Address, options, $"bench-{i}")).ToList();
    foreach (var (scheduler, _) in schedulers) await scheduler.StartAsync(CancellationToken.None);

    var deadline = dueFrom.AddSeconds(options.WindowSeconds + 120);
    long released;
    while ((released = await CountAsync(connectionString, "status = 'queued' AND released_at IS NOT NULL")) < options.Due && DateTimeOffset.UtcNow < deadline)
        await Task.Delay(500);
    foreach (var (scheduler, provider) in schedulers)
    {
        await scheduler.StopAsync(CancellationToken.None);
        await provider.DisposeAsync();
    }

    var report = await ScalarRowAsync(connectionString, """
        SELECT count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM released_at - publish_at)) * 1000,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM released_at - publish_at)) * 1000,
               max(extract(epoch FROM released_at - publish_at)) * 1000,
               min(extract(epoch FROM released_at - publish_at)) * 1000,
               count(DISTINCT released_by)
        FROM jobs WHERE released_at IS NOT NULL
        """);
    var early = await CountAsync(connectionString, "released_at < publish_at");
    var stillScheduledDue = await CountAsync(connectionString, "status = 'scheduled' AND publish_at <= now()");
    using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.Address);
    var entries = await redis.GetDatabase().StreamLengthAsync(JobQueue.Stream);
    Console.WriteLine($"released={report[0]} (of {options.Due:N0} due) by {report[5]} replica(s); stream entries={entries}; released early={early}; due but not released={stillScheduledDue}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"lateness released_at - publish_at: p50={report[1]:F1} ms p99={report[2]:F1} ms max={report[3]:F1} ms min={report[4]:F1} ms (target p99 <= 1000 ms)"));
    Console.WriteLine($"load after: {File.ReadAllText("/proc/loadavg").Trim()}");
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Sql(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
}

static OrbytDbContext Context(string connectionString) =>
    new(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);

/// <summary>One scheduler "replica": the Uploader's JobScheduler with its own services, Redis connection and pool.</summary>
static (JobScheduler Scheduler, ServiceProvider Provider) Replica(string connectionString, string redisAddress, BenchArgs options, string name)
{
    var services = new ServiceCollection();
    services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    services.AddSingleton(TimeProvider.System);
    services.AddDbContext<OrbytDbContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention());
    services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisAddress));
    services.AddSingleton<LoopHeartbeat>();
    services.AddSingleton(Options.Create(new UploaderOptions
    {
        ConsumerName = name,
        SchedulerInterval = TimeSpan.FromMilliseconds(options.IntervalMs),
        ReleaseBatch = options.Batch,
        // Nothing here is due for a pre-flight check (the seeded jobs have none): the pass is measured alone.
        PreflightInterval = TimeSpan.FromDays(1),
    }));
    services.AddSingleton<JobScheduler>();
    var provider = services.BuildServiceProvider();
    return (provider.GetRequiredService<JobScheduler>(), provider);
}

static async Task SeedAsync(string connectionString, BenchArgs options, DateTimeOffset now, DateTimeOffset dueFrom)
{
    var clientId = Guid.NewGuid();
    var connectionId = Guid.NewGuid();
    var publicationId = Guid.NewGuid();
    await using (var db = Context(connectionString))
    {
        db.ApiClients.Add(new ApiClient { Id = clientId, Name = "bench", CreatedAt = now });
        db.Connections.Add(new Connection { Id = connectionId, ClientId = clientId, UserId = "bench", Platform = PlatformNames.Facebook, AccountId = "1", ConnectedAt = now, UpdatedAt = now });
        db.Publications.Add(new Publication { Id = publicationId, ClientId = clientId, UserId = "bench", MediaType = MediaTypes.Image, MediaUrl = "https://image.mux.com/x/thumbnail.jpg", CreatedAt = now });
        await db.SaveChangesAsync();
    }
    // The due jobs spread evenly over the window (to the millisecond); the others 1–30 days ahead.
    await Sql(connectionString, string.Create(CultureInfo.InvariantCulture, $"""
        INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, publish_at, created_at, updated_at, sequence)
        SELECT gen_random_uuid(), '{publicationId}', '{connectionId}', '{clientId}', 'bench', 'facebook', 'scheduled', 0, t, t, now(), now(), 1
        FROM (SELECT CASE WHEN g <= {options.Due}
                          THEN timestamptz '{dueFrom:O}' + (g - 1) * interval '1 millisecond' * ({options.WindowSeconds} * 1000.0 / {options.Due})
                          ELSE now() + interval '1 day' + random() * interval '29 days' END AS t
              FROM generate_series(1, {options.Total}) g) s
        """));
    await Sql(connectionString, "VACUUM ANALYZE jobs");
}

static async Task<IReadOnlyList<string>> ExplainAsync(string connectionString, int batch)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var tx = await connection.BeginTransactionAsync();
    await using var command = new NpgsqlCommand($"""
        EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
        SELECT id FROM jobs WHERE status = 'scheduled' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT {batch} FOR UPDATE SKIP LOCKED
        """, connection, tx);
    var lines = new List<string>();
    await using (var reader = await command.ExecuteReaderAsync())
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
    await tx.RollbackAsync();
    return lines;
}

static async Task<long> CountAsync(string connectionString, string where)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"SELECT count(*) FROM jobs WHERE {where}", connection);
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task<object?[]> ScalarRowAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.ReadAsync();
    var row = new object?[reader.FieldCount];
    for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
    return row;
}

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

internal sealed record BenchArgs(int Total, int Due, int WindowSeconds, int Replicas, int LeadSeconds, int IntervalMs, int Batch, string? ConnectionString)
{
    public static BenchArgs Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchArgs(Int("--total", 100_000), Int("--due", 10_000), Int("--window-seconds", 60), Int("--replicas", 2),
            Int("--lead-seconds", 20), Int("--interval-ms", 200), Int("--batch", 1000), Value("--connection-string"));
    }
}

/// <summary>A throw-away redis-server on a free port, without persistence.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;
    public string Address { get; }

    private RedisServer(Process process, int port)
    {
        _process = process;
        Address = $"127.0.0.1:{port}";
    }

    public static RedisServer Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new RedisServer(process, port);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
