using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Nothing a caller submitted is lost, and nothing is published twice, when an Uploader process dies mid-job
/// or Redis restarts with queued work.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CrashSafetyTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const string ReturnPrefix = "https://app.orbyt.test/connected/";
    private readonly Browser _browser = new();
    private readonly string _userId = "crash-" + Guid.NewGuid().ToString("N")[..10];
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        _sandbox = new SandboxControl(fixture.Sandbox);
        await _api.JsonAsync(HttpMethod.Patch, "/v1/client", new { allowed_return_urls = new[] { ReturnPrefix, "http://localhost:3000/" } });
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await EnsureRunningAsync("uploader");
    }

    [Fact]
    public async Task An_uploader_killed_during_a_youtube_upload_is_taken_over_and_the_video_is_published_once()
    {
        var channel = await ConnectAsync("youtube");
        // 48 MiB at 6 MiB/s: about eight seconds of upload to kill the process in.
        var asset = await CreateAssetAsync(48 * 1024 * 1024, throughput: 6 * 1024 * 1024);
        var jobId = await PublishAsync(channel.Id, "video", asset.GetProperty("url").GetString()!, title: "Crash test");

        await WaitForJobAsync(jobId, j => j.GetProperty("progress").GetProperty("bytes_transferred") is { ValueKind: JsonValueKind.Number } b && b.GetInt64() > 0);
        await KillAsync("uploader");
        await StartAsync("uploader");

        var job = await WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", advanceSandboxClock: true);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        // The killed run and the run that took over.
        Assert.True(job.GetProperty("attempts").GetInt32() >= 2, job.ToString());
        var published = Assert.Single(await _sandbox.PublishedAsync(channel.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
        Assert.Equal(asset.GetProperty("size_bytes").GetInt64(), published.GetProperty("byte_length").GetInt64());
    }

    [Fact]
    public async Task An_uploader_killed_while_instagram_processes_a_reel_publishes_it_once_after_restart()
    {
        var account = await ConnectAsync("instagram");
        var asset = await CreateAssetAsync(2 * 1024 * 1024);
        var jobId = await PublishAsync(account.Id, "video", asset.GetProperty("url").GetString()!, caption: "reel");

        await WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "platform_processing");
        await KillAsync("uploader");
        await StartAsync("uploader");

        var job = await WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", advanceSandboxClock: true);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var published = Assert.Single(await _sandbox.PublishedAsync(account.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Jobs_queued_when_redis_restarts_and_loses_its_streams_still_complete()
    {
        var page = await ConnectAsync("facebook");
        await StopAsync("uploader");
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
            jobs.Add(await PublishAsync(page.Id, "image", new Uri(fixture.Sandbox.BaseAddress!, "_sandbox/media/image.jpg").ToString(), caption: $"after redis restart {i}"));

        // The local Redis keeps no data in tests: a restart loses the stream and its consumer group.
        await StopAsync("redis");
        await StartAsync("redis");
        await StartAsync("uploader");

        foreach (var jobId in jobs)
        {
            var job = await WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed");
            Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        }
        Assert.Equal(3, (await _sandbox.PublishedAsync(page.AccountId)).Length);
    }

    private sealed record Target(string Id, string AccountId);

    private async Task<Target> ConnectAsync(string platform)
    {
        var identity = await _sandbox.CreateIdentityAsync(new { pages = 1 });
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var start = await _api.JsonAsync(HttpMethod.Post, $"/v1/connections/{platform}/authorize", new { user_id = _userId, return_url = ReturnPrefix });
        var query = Browser.Query(await _browser.FollowUntilAsync(start.GetProperty("authorization_url").GetString()!, ReturnPrefix));
        Assert.Equal("connected", query["status"]);
        var connection = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{query["connection_ids"].Split(',')[0]}?user_id={_userId}");
        return new Target(connection.GetProperty("id").GetString()!, connection.GetProperty("account").GetProperty("id").GetString()!);
    }

    private async Task<JsonElement> CreateAssetAsync(long size, long? throughput = null)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = size, ready_after_seconds = 0, throughput_bytes_per_second = throughput });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> PublishAsync(string connectionId, string type, string url, string? title = null, string? caption = null)
    {
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = connectionId } }, media = new { type, url }, title, caption,
        }, HttpStatusCode.Accepted);
        return created.GetProperty("jobs")[0].GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> WaitForJobAsync(string jobId, Func<JsonElement, bool> condition, bool advanceSandboxClock = false)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var job = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs/{jobId}?user_id={_userId}");
            if (condition(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {jobId} never reached the expected state: {job}");
            if (advanceSandboxClock)
                (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 20 })).Dispose();
            await Task.Delay(250);
        }
    }

    /// <summary>SIGKILL to the resource's process tree: no graceful shutdown, no chance to record anything.</summary>
    private async Task KillAsync(string resource)
    {
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var state));
        var pid = Convert.ToInt32(state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value);
        using (var process = Process.GetProcessById(pid))
            process.Kill(entireProcessTree: true);
        await WaitForTerminalAsync(resource);
    }

    private async Task StopAsync(string resource)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stop = await fixture.App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cts.Token);
        Assert.True(stop.Success, stop.Message);
        await WaitForTerminalAsync(resource);
    }

    /// <summary>
    /// Starts a resource and waits until its process runs. Not until the AppHost calls it healthy: after a process
    /// is killed, DCP's endpoint proxy sometimes stops forwarding the AppHost's probes to the new process (seen in
    /// one of five full runs: the Uploader answered /health directly and published the jobs, while the probe
    /// through the proxy timed out). What these tests assert is the work getting done, which they wait for.
    /// </summary>
    private async Task StartAsync(string resource)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var start = await fixture.App.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cts.Token);
        Assert.True(start.Success, start.Message);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.Running, cts.Token);
    }

    private async Task WaitForTerminalAsync(string resource)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s), cts.Token);
    }

    private async Task EnsureRunningAsync(string resource)
    {
        if (fixture.App.ResourceNotifications.TryGetCurrentState(resource, out var state)
            && state.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s))
            await StartAsync(resource);
    }
}
