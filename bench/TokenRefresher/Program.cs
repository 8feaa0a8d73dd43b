using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orbyt.Bench.TokenRefresher;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;
using Orbyt.Sandbox;
using Orbyt.TokenRefresher;
using Orbyt.TokenRefresher.Scheduling;

// dotnet run -c Release --project bench/TokenRefresher -- [--connection-string "Host=…;Username=…;Password=…"]
//   [--total 100000] [--due 10000] [--replicas 1] [--parallelism 16] [--batch 500]
var settings = Args.Parse(args);
Console.WriteLine($"token refresher benchmark: {settings.Total:N0} credentials, {settings.Due:N0} due, {settings.Replicas} replica(s) × parallelism {settings.Parallelism}, batch {settings.Batch}");

await using var localPostgres = settings.ConnectionString is null ? await LocalPostgres.StartAsync() : null;
var serverConnectionString = settings.ConnectionString ?? localPostgres!.ConnectionString;
Console.WriteLine(localPostgres is null ? "postgres: --connection-string" : "postgres: local throw-away server (initdb + postgres)");

// A fresh database per run on that server, dropped at the end.
var databaseName = "orbyt_bench_" + Guid.NewGuid().ToString("N")[..8];
await using (var admin = new NpgsqlConnection(serverConnectionString))
{
    await admin.OpenAsync();
    await using var create = new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin);
    await create.ExecuteNonQueryAsync();
}
var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString)
{
    Database = databaseName,
    MaxPoolSize = settings.Replicas * settings.Parallelism + 20,
}.ConnectionString;

var sandbox = SandboxApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
await sandbox.StartAsync();
var sandboxUrl = sandbox.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
using var sandboxHttp = new HttpClient { BaseAddress = new Uri(sandboxUrl + "/") };

var vaultKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Orbyt:Vault:Keys:k1"] = vaultKey,
    ["Platforms:Google:ClientId"] = "sandbox-client.apps.googleusercontent.com",
    ["Platforms:Google:ClientSecret"] = "sandbox-google-secret",
    ["Platforms:Google:OAuth2BaseUrl"] = sandboxUrl + "/google-oauth2/",
    ["Platforms:Meta:AppId"] = "1234567890",
    ["Platforms:Meta:AppSecret"] = "sandbox-meta-secret",
    ["Platforms:Meta:GraphBaseUrl"] = sandboxUrl + "/graph/",
    ["Orbyt:TokenRefresher:BatchSize"] = settings.Batch.ToString(),
    ["Orbyt:TokenRefresher:Parallelism"] = settings.Parallelism.ToString(),
}).Build();
var services = new ServiceCollection();
services.AddSingleton<IConfiguration>(configuration);
services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None)); // the migrator's first probe of a fresh database "fails" by design
services.AddSingleton(TimeProvider.System);
services.AddDbContext<OrbytDbContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention());
services.AddTokenRefreshScheduler();
await using var provider = services.BuildServiceProvider();

try
{
    await using (var scope = provider.CreateAsyncScope())
        await scope.ServiceProvider.GetRequiredService<OrbytDbContext>().Database.MigrateAsync();

    var seed = Stopwatch.StartNew();
    using var grants = await sandboxHttp.PostAsJsonAsync("_sandbox/google/grants", new { count = settings.Due });
    grants.EnsureSuccessStatusCode();
    var refreshTokens = (await grants.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_tokens").EnumerateArray().Select(t => t.GetString()!).ToArray();
    await Seed.CredentialsAsync(connectionString, provider.GetRequiredService<ITokenVault>(), refreshTokens, settings.Total);
    Console.WriteLine($"seeded {settings.Total:N0} credentials ({settings.Due:N0} due) in {seed.Elapsed.TotalSeconds:F1} s");

    var telemetry = provider.GetRequiredService<ScheduledRefreshTelemetry>();
    var options = provider.GetRequiredService<IOptions<TokenRefreshOptions>>();
    var replicas = Enumerable.Range(1, settings.Replicas).Select(i => new RefreshScheduler(provider.GetRequiredService<IServiceScopeFactory>(), options, telemetry,
        TimeProvider.System, provider.GetRequiredService<ILogger<RefreshScheduler>>()) { Owner = $"bench-{i}" }).ToArray();

    Console.WriteLine();
    Console.WriteLine($"== scheduling pass with {settings.Due:N0} due ==");
    await Measure.ClaimAsync(provider, replicas[0], settings.Batch);
    await Measure.ExplainAsync(connectionString, settings.Batch);

    Console.WriteLine();
    Console.WriteLine("== refreshing every due credential ==");
    var run = Stopwatch.StartNew();
    var passes = 0;
    var totals = await Task.WhenAll(replicas.Select(async replica =>
    {
        var claimed = 0;
        while (true)
        {
            var result = await replica.RunPassAsync(CancellationToken.None);
            Interlocked.Increment(ref passes);
            claimed += result.Refreshed;
            if (result.Claimed == 0) return claimed;
        }
    }));
    run.Stop();
    var calls = await sandboxHttp.GetFromJsonAsync<JsonElement>("_sandbox/calls");
    var perToken = calls.GetProperty("refresh_grants").EnumerateObject().Select(p => p.Value.GetInt32()).ToArray();
    await using (var scope = provider.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        var now = DateTimeOffset.UtcNow;
        var stillDue = await db.Credentials.CountAsync(c => c.InvalidatedAt == null && c.NextCheckAt <= now);
        var failing = await db.Credentials.CountAsync(c => c.ConsecutiveFailures > 0);
        Console.WriteLine($"refreshed {totals.Sum():N0} credentials in {run.Elapsed.TotalSeconds:F1} s ({totals.Sum() / run.Elapsed.TotalSeconds:F0}/s) over {passes} passes; still due: {stillDue}, failing: {failing}");
        Console.WriteLine($"sandbox refresh calls: {perToken.Sum():N0} for {perToken.Length:N0} refresh tokens (max per token: {(perToken.Length == 0 ? 0 : perToken.Max())})");
        Console.WriteLine($"target (all {settings.Due:N0} within 60 s): {(run.Elapsed < TimeSpan.FromSeconds(60) && stillDue == 0 ? "met" : "NOT met")}");
    }

    Console.WriteLine();
    Console.WriteLine("== scheduling pass with nothing due ==");
    await Measure.IdlePassAsync(replicas[0]);
    await Measure.ExplainAsync(connectionString, settings.Batch);
}
finally
{
    await sandbox.StopAsync();
    await sandbox.DisposeAsync();
    NpgsqlConnection.ClearAllPools();
    await using var admin = new NpgsqlConnection(serverConnectionString);
    await admin.OpenAsync();
    await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)", admin);
    await drop.ExecuteNonQueryAsync();
}

internal sealed record Args(string? ConnectionString, int Total, int Due, int Replicas, int Parallelism, int Batch)
{
    public static Args Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v) : fallback;
        return new Args(Value("--connection-string"), Int("--total", 100_000), Int("--due", 10_000), Int("--replicas", 1), Int("--parallelism", 16), Int("--batch", 500));
    }
}

internal static class Seed
{
    /// <summary>Binary COPY: the due Google credentials (refresh tokens the sandbox knows, last refreshed two days ago) and the rest scheduled 1–24 h ahead.</summary>
    public static async Task CredentialsAsync(string connectionString, ITokenVault vault, string[] refreshTokens, int total)
    {
        var now = DateTimeOffset.UtcNow;
        var clientId = Guid.CreateVersion7();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var client = new NpgsqlCommand("INSERT INTO api_clients (id, name, is_admin, allowed_return_urls, created_at) VALUES (@id, 'bench', false, '{}', now())", connection))
        {
            client.Parameters.AddWithValue("id", clientId);
            await client.ExecuteNonQueryAsync();
        }

        var staleAccess = vault.Protect("ya29.bench-expired", VaultPurposes.AccessToken);
        var random = new Random(42);
        string[] kinds = [CredentialKinds.Google, CredentialKinds.MetaUser, CredentialKinds.MetaPage];
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY credentials (id, client_id, user_id, kind, subject, access_token_ciphertext, refresh_token_ciphertext, access_token_expires_at,
                              scopes, last_refreshed_at, last_checked_at, next_check_at, consecutive_failures, created_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < total; i++)
            {
                var due = i < refreshTokens.Length;
                var kind = due ? CredentialKinds.Google : kinds[i % kinds.Length];
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(clientId, NpgsqlDbType.Uuid);
                await copy.WriteAsync($"user-{i % 40_000}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(kind, NpgsqlDbType.Varchar);
                await copy.WriteAsync($"subject-{i}", NpgsqlDbType.Varchar);
                await copy.WriteAsync(staleAccess, NpgsqlDbType.Bytea);
                if (due) await copy.WriteAsync(vault.Protect(refreshTokens[i], VaultPurposes.RefreshToken), NpgsqlDbType.Bytea);
                else await copy.WriteNullAsync();
                await copy.WriteAsync(due ? now.AddMinutes(-5) : now.AddMinutes(30), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(new[] { "https://www.googleapis.com/auth/youtube.upload" }, NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(now.AddDays(-2), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now.AddDays(-2), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(due ? now.AddSeconds(-random.Next(1, 600)) : now.AddSeconds(random.Next(3600, 86_400)), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await using var analyze = new NpgsqlCommand("ANALYZE credentials", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}

internal static class Measure
{
    /// <summary>The claim statement itself (inside a rolled-back transaction, so the benchmark run still finds everything due).</summary>
    public static async Task ClaimAsync(IServiceProvider provider, RefreshScheduler scheduler, int batch)
    {
        var timings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var watch = Stopwatch.StartNew();
            var claimed = await scheduler.ClaimDueAsync(db, DateTimeOffset.UtcNow, CancellationToken.None);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            await tx.RollbackAsync();
            if (claimed.Count != batch) Console.WriteLine($"(claimed {claimed.Count})");
        }
        Console.WriteLine($"claim of a batch of {batch}: median {timings.Order().ElementAt(timings.Count / 2):F1} ms (runs: {string.Join(", ", timings.Select(t => t.ToString("F1")))})");
    }

    public static async Task IdlePassAsync(RefreshScheduler scheduler)
    {
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var result = await scheduler.RunPassAsync(CancellationToken.None);
            timings.Add(result.Duration.TotalMilliseconds);
        }
        Console.WriteLine($"whole pass (pull-forward, backlog gauge, claim) with nothing due: median {timings.Order().ElementAt(timings.Count / 2):F1} ms over {timings.Count} passes");
    }

    public static async Task ExplainAsync(string connectionString, int batch)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var sql = RefreshScheduler.DueQueryForExplain.Replace("LIMIT 200", $"LIMIT {batch}");
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, connection, tx);
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) Console.WriteLine("  " + reader.GetString(0));
        await tx.RollbackAsync();
    }
}
