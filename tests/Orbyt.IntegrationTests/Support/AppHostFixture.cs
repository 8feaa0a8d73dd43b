using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Orbyt.AppHost;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// One AppHost per test assembly (a start and stop costs 20–30 s): local executables for Redis and Postgres,
/// throw-away data, and secrets chosen here so the tests know the bootstrap key. With <c>ORBYT_TEST_REDIS=cluster</c>
/// the services use a three-node Redis Cluster started here instead of the AppHost's single Redis — for the tests
/// marked <see cref="RedisClusterTrait"/> (scripts/test.sh runs them a second time that way).
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    /// <summary>The trait of the queue, rate-limit and key-revocation tests that CI also runs against a Redis Cluster: <c>[Trait("Redis", "Cluster")]</c>.</summary>
    public const string RedisClusterTrait = "Redis";

    /// <summary>The environment variable that selects the cluster run.</summary>
    public const string RedisTopologyVariable = "ORBYT_TEST_REDIS";

    private LocalRedisCluster? _redisCluster;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "orbyt-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string BootstrapApiKey { get; } = new ApiKeyParameterDefault().GetDefaultValue();
    /// <summary>The token vault's key, so tests can open ciphertexts they read from the database.</summary>
    public string TokenEncryptionKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public DistributedApplication App { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    /// <summary>The platform sandbox's control API and fake hosts (docs/sandbox.md).</summary>
    public HttpClient Sandbox { get; private set; } = null!;
    public string DatabaseConnectionString { get; private set; } = null!;
    /// <summary>Every service's traces and logs, exported over OTLP to the test process, as the dashboard would get them.</summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;
    /// <summary>Each resource snapshot the AppHost published from the first start on (state and health), in order.</summary>
    public ConcurrentQueue<ResourceHealth> ResourceHistory { get; } = new();
    /// <summary>When every service had reported healthy at the first start.</summary>
    public DateTimeOffset ReadyAt { get; private set; }
    private readonly CancellationTokenSource _watch = new();

    public static readonly string[] Services = ["sandbox", "api", "uploader", "token-refresher"];

    /// <summary>Meta calls per Page / Instagram account the uploaders share (Orbyt:RateLimits:MetaAccount), small enough to reach.</summary>
    public const int MetaAccountCallLimit = 15;
    public static readonly TimeSpan MetaAccountWindow = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan SlowDownSpacing = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan RateLimitMaxWait = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan HealthMinLiveInterval = TimeSpan.FromSeconds(2);
    public const int HealthLiveChecksPerMinute = 12;
    /// <summary>The back-off of processing-status reads (Orbyt:Uploader:StatusPollFirst / StatusPollMax): seconds, not a minute.</summary>
    public static readonly TimeSpan StatusPollFirst = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan StatusPollMax = TimeSpan.FromSeconds(2);

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        string[] redis = [];
        if (Environment.GetEnvironmentVariable(RedisTopologyVariable) is "cluster")
        {
            _redisCluster = await LocalRedisCluster.StartAsync();
            redis = [$"ConnectionStrings:redis={_redisCluster.ConnectionString}"];
        }
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Orbyt_AppHost>(
        [
            .. redis,
            "Orbyt:Infrastructure=executables",
            "Orbyt:EphemeralData=true",
            $"Orbyt:DataDirectory={_dataDirectory}",
            $"Parameters:bootstrap-api-key={BootstrapApiKey}",
            $"Parameters:token-encryption-key={TokenEncryptionKey}",
            $"Parameters:postgres-password={Guid.NewGuid():N}",
            // Publishing: poll platform processing every second, re-add lost stream entries after 5 s.
            "Orbyt:Uploader:PollInterval=00:00:01",
            $"Orbyt:Uploader:StatusPollFirst={StatusPollFirst:c}",
            $"Orbyt:Uploader:StatusPollMax={StatusPollMax:c}",
            "Orbyt:Uploader:RequeueAfter=00:00:05",
            "Orbyt:Uploader:ClaimIdle=00:00:10",
            "Orbyt:Uploader:StreamTrimInterval=00:00:02",
            // A killed Uploader's job is taken over once its lease (renewed while an upload runs) lapses.
            "Orbyt:Uploader:LeaseDuration=00:00:15",
            // Scheduling: every scheduled job's pre-flight check is due at once and runs within a second; releases in
            // batches of 10, so two replicas releasing the same due jobs both take part.
            "Orbyt:Schedule:PreflightLead=30.00:00:00",
            // Lead times of seconds, so the upload-ahead and container-ahead paths run within a test.
            "Orbyt:Schedule:YouTubeUploadLead=00:00:08",
            "Orbyt:Schedule:InstagramContainerLead=00:00:05",
            "Orbyt:Uploader:PreflightInterval=00:00:01",
            "Orbyt:Uploader:ReleaseBatch=10",
            // A URL Meta could not fetch is handed over again after a second, not a minute.
            "Orbyt:Uploader:PlatformFetchRetryDelay=00:00:01",
            // An allowed media host that resolves to loopback, for the SSRF test.
            "Orbyt:Media:AllowedHosts:0=localhost",
            // An allowed host that never resolves (RFC 6761 .invalid), for media_fetch_failed at create time.
            "Orbyt:Media:AllowedHosts:1=*.invalid",
            // Seconds instead of hours between webhook retries; long enough at the tail to outlast an uploader restart.
            "Orbyt:Webhooks:RetryScheduleSeconds=0,1,1,2,3,5,5,10,10,10",
            // Platform budgets small and short enough for the rate-limit tests to reach, and pauses of seconds.
            $"Orbyt:RateLimits:MetaAccount:Limit={MetaAccountCallLimit}",
            $"Orbyt:RateLimits:MetaAccount:Window={MetaAccountWindow:c}",
            $"Orbyt:RateLimits:SlowDownSpacing={SlowDownSpacing:c}",
            "Orbyt:RateLimits:SlowDownFor=00:00:30",
            "Orbyt:RateLimits:DefaultPause=00:00:02",
            $"Orbyt:RateLimits:MaxWait={RateLimitMaxWait:c}",
            // Connection health: a live check per connection every 2 s at most, 12 per API client per minute (tests use a client each).
            $"Orbyt:ConnectionHealth:MinLiveInterval={HealthMinLiveInterval:c}",
            $"Orbyt:ConnectionHealth:LiveChecksPerMinute={HealthLiveChecksPerMinute}",
        ], cts.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        // No dashboard runs under test: the services export to a receiver in the test process instead (it outlives the
        // AppHost, so no exporter retries at shutdown), over OTLP/HTTP, in batches short enough for a test to wait on.
        Telemetry = await OtlpReceiver.StartAsync();
        foreach (var project in builder.Resources.OfType<ProjectResource>())
            project.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint;
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                context.EnvironmentVariables["OTEL_BSP_SCHEDULE_DELAY"] = "500";
                context.EnvironmentVariables["OTEL_BLRP_SCHEDULE_DELAY"] = "500";
                context.EnvironmentVariables["OTEL_METRIC_EXPORT_INTERVAL"] = "60000";
            }));

        App = await builder.BuildAsync(cts.Token);
        _ = WatchResourcesAsync(App.ResourceNotifications, _watch.Token);
        await App.StartAsync(cts.Token);
        foreach (var service in Services)
            await App.ResourceNotifications.WaitForResourceHealthyAsync(service, cts.Token);
        ReadyAt = DateTimeOffset.UtcNow;

        Api = App.CreateHttpClient("api", "http");
        Sandbox = App.CreateHttpClient("sandbox", "http");
        DatabaseConnectionString = (await App.GetConnectionStringAsync("orbyt", cts.Token))!;
        if (_redisCluster is not null)
        {
            // The services were given the cluster, and it is one: StackExchange.Redis sees cluster nodes behind the address.
            Assert.Equal(_redisCluster.ConnectionString, await App.GetConnectionStringAsync("redis", cts.Token));
            await using var cluster = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redisCluster.ConnectionString);
            Assert.Equal(3, cluster.GetServers().Count(server => server.ServerType == StackExchange.Redis.ServerType.Cluster));
        }
    }

    private async Task WatchResourcesAsync(ResourceNotificationService notifications, CancellationToken ct)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(ct))
                ResourceHistory.Enqueue(new ResourceHealth(update.Resource.Name, update.Snapshot.State?.Text, update.Snapshot.HealthStatus,
                    string.Join("; ", update.Snapshot.HealthReports.Where(r => r.Status == HealthStatus.Unhealthy)
                        .Select(r => $"{r.Name}: {r.Description} {r.ExceptionText?.Split('\n')[0]}")), DateTimeOffset.UtcNow));
        }
        catch (OperationCanceledException)
        {
            // The fixture is being disposed.
        }
    }

    public async Task DisposeAsync()
    {
        await _watch.CancelAsync();
        Api?.Dispose();
        Sandbox?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        if (_redisCluster is not null) await _redisCluster.DisposeAsync();
        if (Telemetry is not null) await Telemetry.DisposeAsync();
        try
        {
            if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server may still be flushing; the OS temp cleaner takes the rest.
        }
    }
}

/// <summary>One resource snapshot: its state, its health, and why each failing health check failed.</summary>
public sealed record ResourceHealth(string Resource, string? State, HealthStatus? Health, string Failures, DateTimeOffset At)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {Resource} {State} {Health} {Failures}";
}
