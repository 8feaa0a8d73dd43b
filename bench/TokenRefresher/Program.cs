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
