using System.Diagnostics;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Throughput when the platforms are slow: light steps wait on the platform's answer holding no thread, so one
/// replica keeps many of them in flight at once (MaxLightSteps) instead of a handful.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SlowPlatformTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const int Pages = 8;
    private const int PhotosPerPage = 6;
    private static readonly TimeSpan GraphLatency = TimeSpan.FromSeconds(3);
    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "slow");

    public async Task DisposeAsync()
    {
        await _scenario.Sandbox.ClearLatencyAsync();
        _scenario.Dispose();
    }

    [Fact]
    public async Task With_every_graph_post_taking_three_seconds_one_replica_keeps_dozens_of_jobs_in_flight_and_publishes_each_once()
    {
        // Several Pages, so Orbyt's own per-Page call budget (AppHostFixture: 15 per 10 s) stays out of the way.
        await _scenario.NewIdentityAsync(new { pages = Pages, instagram = false, google = false });
        var connections = await _scenario.ConnectAsync("facebook");
        Assert.Equal(Pages, connections.Length);
        var pageIds = new List<string>();
        foreach (var id in connections)
            pageIds.Add((await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{id}?user_id={_scenario.UserId}")).GetProperty("account").GetProperty("id").GetString()!);

        await _scenario.Sandbox.SetLatencyAsync(new { rules = new[] { new { platform = "meta", method = "POST", path_prefix = "/graph/", fixed_ms = GraphLatency.TotalMilliseconds } } });
        var image = _scenario.Sandbox.Url("_sandbox/media/image.jpg");
        var watch = Stopwatch.StartNew();
        var jobIds = await Task.WhenAll(connections.SelectMany(c => Enumerable.Range(0, PhotosPerPage).Select(i => _scenario.PublishAsync(c, "image", image, caption: $"slow {i}"))));

        var jobs = await _scenario.PollJobsAsync(jobIds, all => all.All(j => j.GetProperty("status").GetString() is "published" or "failed"), TimeSpan.FromSeconds(90));
        watch.Stop();
        Assert.All(jobs, j => Assert.Equal("published", j.GetProperty("status").GetString()));

        // 48 posts of 3 s each: one at a time that is 144 s, eight at a time (the old per-replica limit) 18 s.
        var latency = await _scenario.Sandbox.LatencyAsync();
        var maxInFlight = latency.GetProperty("max_in_flight").GetInt32();
        Assert.True(maxInFlight >= Pages * PhotosPerPage / 2, $"at most {maxInFlight} platform calls were in flight at once; drained in {watch.Elapsed}");
        Assert.Equal(Pages * PhotosPerPage, latency.GetProperty("rules")[0].GetProperty("delayed").GetInt32());

        // Exactly once: one photo per job, on its Page.
        var photos = 0;
        foreach (var page in pageIds)
            photos += (await _scenario.Sandbox.PublishedAsync(page)).Length;
        Assert.Equal(Pages * PhotosPerPage, photos);
    }
}
