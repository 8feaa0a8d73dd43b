using Orbyt.Core.RateLimits;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbyt.Uploader.RateLimits;
using StackExchange.Redis;

namespace Orbyt.IntegrationTests.RateLimits;

/// <summary>
/// Platform rate limits through the running system: Meta rate-limit storms and usage reports, regain times, the
/// Instagram publishing limit and the YouTube daily quota — jobs wait (stage <c>waiting_rate_limit</c>, with
/// <c>next_attempt_at</c>) and then publish, exactly once; the sandbox's call log shows the budgets held, with two
/// Uploader replicas drawing from the same Redis buckets.
/// </summary>
[Collection(AppHostCollection.Name)]
[Trait("Redis", "Cluster")]
public sealed class PlatformRateLimitTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const string GraphVersion = "v24.0";
    private Scenario _scenario = null!;
    private SandboxControl _sandbox = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "rl");
        _sandbox = _scenario.Sandbox;
    }

    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        // Leave no scripted fault or usage figure behind for the next test.
        (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/usage", new { })).Dispose();
    }

    [Fact]
    public async Task A_storm_of_meta_rate_limits_and_high_usage_makes_jobs_wait_then_all_publish_within_the_budget_shared_by_two_replicas()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var photos = $"/graph/{GraphVersion}/{page.AccountId}/photos";
        // The Page reports 95 % of its business-use-case budget on every answer: after the first answer (a warm-up
        // post) the uploaders slow down.
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/usage", new { business = new Dictionary<string, object> { [page.AccountId] = new { call_count = 95 } } })).EnsureSuccessStatusCode();
        var warmUp = await _scenario.PublishAsync(page.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"), caption: "Warm-up");
        await _scenario.WaitForJobAsync(warmUp, j => j.GetProperty("status").GetString() == "published");
        foreach (var code in new[] { 4, 17, 32, 613, 80001 })
            await _sandbox.AddFaultAsync(new { kind = "rate_limit", platform = "meta", path_prefix = photos, code, estimated_time_to_regain_access = 0 });
        await using var replicaB = await UploaderReplica.StartAsync(fixture, "replica-b-" + Guid.NewGuid().ToString("N")[..6]);

        const int count = 16;
        var jobIds = new List<string>();
        for (var i = 0; i < count; i++)
            jobIds.Add(await _scenario.PublishAsync(page.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"), caption: $"Storm {i}"));

        var sawWaiting = false;
        var jobs = await _scenario.PollJobsAsync(jobIds, timeout: TimeSpan.FromMinutes(3), done: all =>
        {
            sawWaiting |= all.Any(j => j.GetProperty("stage").GetString() == "waiting_rate_limit"
                && j.GetProperty("next_attempt_at").ValueKind == JsonValueKind.String
                && j.GetProperty("error").GetProperty("code").GetString() == "platform_rate_limited");
            return all.All(j => j.GetProperty("status").GetString() is "published" or "failed");
        });

        Assert.All(jobs, j => Assert.True(j.GetProperty("status").GetString() == "published", j.ToString()));
        Assert.True(sawWaiting, "No job was seen waiting for a rate limit.");
        Assert.Equal(count + 1, (await _sandbox.PublishedAsync(page.AccountId)).Length);
        var faults = (await fixture.Sandbox.GetFromJsonAsync<JsonElement>("/_sandbox/faults")).GetProperty("data");
        Assert.All(faults.EnumerateArray(), f => Assert.Equal(0, f.GetProperty("remaining").GetInt32()));

        // The budget: no fixed window of the uploaders' Page budget saw more calls than it allows. The uploaders count
        // a call when they take it from the bucket and the sandbox when it arrives, a few ms later, so a call taken at
        // the very end of one window may land in the next: one call of slack per window.
        var calls = await CallsAsync(photos);
        Assert.Equal(1 + count + 5, calls.Length);
        foreach (var window in calls.GroupBy(c => c.ToUnixTimeMilliseconds() / (long)AppHostFixture.MetaAccountWindow.TotalMilliseconds))
            Assert.True(window.Count() <= AppHostFixture.MetaAccountCallLimit + 1, $"{window.Count()} calls in one window: {string.Join(", ", calls.Select(c => c.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))}");
        Assert.True(calls[^1] - calls[0] >= AppHostFixture.MetaAccountWindow, "The calls fit in one window: the budget was never reached.");
        // The slow-down: since the warm-up's answer reported 95 %, calls left the uploaders at most one per spacing.
        // Arrival times jitter by the time between taking a call from the bucket and its arrival (two busy cores), so
        // this checks every run of five calls: it spans at least four spacings, less that jitter.
        var slowed = calls.Skip(1).ToArray();
        var spans = slowed.Zip(slowed.Skip(4), (a, b) => b - a).ToArray();
        Assert.All(spans, span => Assert.True(span >= 4 * AppHostFixture.SlowDownSpacing - TimeSpan.FromMilliseconds(150), $"Five calls within {span.TotalMilliseconds} ms while slowed."));
        // Both replicas worked on these jobs.
        Assert.Contains(jobIds, replicaB.JobsRun.ContainsKey);
    }

    [Fact]
    public async Task A_rate_limit_with_a_regain_time_stops_the_account_for_that_long_and_the_caller_sees_when_it_resumes()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var photos = $"/graph/{GraphVersion}/{page.AccountId}/photos";
        await _sandbox.AddFaultAsync(new { kind = "rate_limit", platform = "meta", path_prefix = photos, code = 80001, estimated_time_to_regain_access = 2 });

        var first = await _scenario.PublishAsync(page.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"));
        var waiting = await _scenario.WaitForJobAsync(first, j => j.GetProperty("stage").GetString() == "waiting_rate_limit");
        var resumesIn = waiting.GetProperty("next_attempt_at").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(resumesIn, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5));
        var error = waiting.GetProperty("error");
        Assert.Equal("platform_rate_limited", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("retryable").GetBoolean());
        Assert.Equal("80001", error.GetProperty("platform").GetProperty("code").GetString());

        // The account is stopped, not just the job: a second job waits without calling Meta.
        var second = await _scenario.PublishAsync(page.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"));
        var secondWaiting = await _scenario.WaitForJobAsync(second, j => j.GetProperty("stage").GetString() == "waiting_rate_limit");
        Assert.True(secondWaiting.GetProperty("next_attempt_at").GetDateTimeOffset() - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(90), secondWaiting.ToString());
        Assert.Single(await CallsAsync(photos));

        foreach (var job in new[] { first, second })
            await _scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{job}/cancel", new { user_id = _scenario.UserId });
    }

    [Fact]
    public async Task The_instagram_publishing_limit_makes_jobs_wait_for_the_window_then_publish()
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram");
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/quotas/exhaust", new { quota = "instagram_publishing", account_id = account.AccountId })).EnsureSuccessStatusCode();
        var limitPath = $"/graph/{GraphVersion}/{account.AccountId}/content_publishing_limit";
        var publishPath = $"/graph/{GraphVersion}/{account.AccountId}/media_publish";

        var jobId = await _scenario.PublishAsync(account.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"));
        var waiting = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "waiting_rate_limit");
        Assert.Equal("instagram_publishing_limit_reached", waiting.GetProperty("error").GetProperty("code").GetString());
        Assert.True(waiting.GetProperty("next_attempt_at").GetDateTimeOffset() <= DateTimeOffset.UtcNow + AppHostFixture.RateLimitMaxWait + TimeSpan.FromSeconds(1), waiting.ToString());

        // It looks again every MaxWait (one content_publishing_limit read), and never spends a publish call meanwhile.
        var checks = (await CallsAsync(limitPath)).Length;
        await Eventually.TrueAsync(async () => (await CallsAsync(limitPath)).Length >= checks + 2, "two more publishing-limit reads", Scenario.JobTimeout);
        Assert.Empty(await CallsAsync(publishPath));
        Assert.Empty(await _sandbox.PublishedAsync(account.AccountId));

        // A day later (sandbox clock) the window has room again.
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 86_400 + 60 })).EnsureSuccessStatusCode();
        var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed");
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Single(await CallsAsync(publishPath));
        Assert.Single(await _sandbox.PublishedAsync(account.AccountId));
    }

    [Fact]
    public async Task An_exhausted_youtube_quota_makes_jobs_wait_until_midnight_pacific_on_the_platform_clock_then_publish()
    {
        // Move the sandbox (Google's) clock to 25 s before midnight in Los Angeles, connect (so the tokens are fresh on
        // that clock), then spend the day's uploads.
        var clock = await fixture.Sandbox.GetFromJsonAsync<JsonElement>("/_sandbox/clock");
        var sandboxNow = clock.GetProperty("now").GetDateTimeOffset();
        var midnight = PlatformClock.NextPacificMidnight(sandboxNow + TimeSpan.FromSeconds(30));
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = Math.Floor((midnight - TimeSpan.FromSeconds(25) - sandboxNow).TotalSeconds) })).EnsureSuccessStatusCode();
        var channel = await _scenario.ConnectNewAccountAsync("youtube");
        using var created = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 1024 * 1024 });
        var asset = await created.Content.ReadFromJsonAsync<JsonElement>();
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/quotas/exhaust", new { quota = "youtube_inserts" })).EnsureSuccessStatusCode();
        // Upload sessions started (POST) — counted from here, as earlier tests started their own.
        async Task<int> Initiations() => (await _sandbox.CallsAsync()).GetProperty("paths") is var paths
            && paths.TryGetProperty("POST /youtube/upload/youtube/v3/videos", out var n) ? n.GetInt32() : 0;
        var before = await Initiations();

        var jobId = await _scenario.PublishAsync(channel.ConnectionId, "video", asset.GetProperty("url").GetString()!, title: "After midnight");
        var waiting = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "waiting_rate_limit");
        Assert.Equal("youtube_quota_exceeded", waiting.GetProperty("error").GetProperty("code").GetString());
        Assert.True(waiting.GetProperty("error").GetProperty("platform") is { ValueKind: JsonValueKind.Object } platform
            && platform.GetProperty("subcode").GetString() == "quotaExceeded", _scenario.SeenJobStates);
        Assert.InRange(waiting.GetProperty("next_attempt_at").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(45));
        Assert.Equal(1, await Initiations() - before);

        // After midnight (sandbox clock, running in real time) the upload starts, once.
        var uploading = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() is not "waiting_rate_limit" || j.GetProperty("status").GetString() != "processing");
        Assert.NotEqual("failed", uploading.GetProperty("status").GetString());
        var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", clock: SandboxClockMove.EveryPoll);
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal(2, await Initiations() - before);
        var published = Assert.Single(await _sandbox.PublishedAsync(channel.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Two_replicas_taking_from_one_bucket_together_get_exactly_its_limit()
    {
        var connection = (await fixture.App.GetConnectionStringAsync("redis"))!;
        var scope = "test:" + Guid.NewGuid().ToString("N");
        const int limit = 50;

        // Each replica has its own Redis connection, as each Uploader process does; both are connected before either starts.
        await using var redisA = await ConnectionMultiplexer.ConnectAsync(connection);
        await using var redisB = await ConnectionMultiplexer.ConnectAsync(connection);
        var bucket = new BudgetScope(scope, limit, "w", TimeSpan.FromMinutes(1));
        using var start = new SemaphoreSlim(0, 2);

        async Task<int> Replica(IConnectionMultiplexer redis)
        {
            var budgets = new PlatformBudgets(redis, new PlatformClock(TimeProvider.System), new OptionsMonitorStub());
            await start.WaitAsync();
            var granted = 0;
            // Alternating single calls from both sides, so they interleave rather than one taking the whole bucket first.
            for (var i = 0; i < 100; i++)
                granted += await budgets.TryAcquireAsync(bucket) is null ? 1 : 0;
            return granted;
        }

        var replicas = new[] { Replica(redisA), Replica(redisB) };
        start.Release(2);
        var results = await Task.WhenAll(replicas);

        Assert.Equal(limit, results.Sum());
        Assert.All(results, r => Assert.True(r > 0, "One replica got nothing: the test did not race."));
    }

    private sealed class OptionsMonitorStub : IOptionsMonitor<PlatformRateLimitOptions>
    {
        public PlatformRateLimitOptions CurrentValue { get; } = new();
        public PlatformRateLimitOptions Get(string? name) => CurrentValue;
        public IDisposable? OnChange(Action<PlatformRateLimitOptions, string?> listener) => null;
    }

    /// <summary>Arrival times (on the local clock) of the sandbox's recorded calls whose path starts with <paramref name="prefix"/>.</summary>
    private async Task<DateTimeOffset[]> CallsAsync(string prefix)
    {
        var log = await _sandbox.CallsAsync();
        var offset = TimeSpan.FromSeconds((await fixture.Sandbox.GetFromJsonAsync<JsonElement>("/_sandbox/clock")).GetProperty("offset_seconds").GetDouble());
        return log.GetProperty("recent").EnumerateArray()
            .Where(c => c.GetProperty("path").GetString()!.StartsWith(prefix, StringComparison.Ordinal))
            .Select(c => c.GetProperty("at").GetDateTimeOffset() - offset)
            .Order().ToArray();
    }
}
