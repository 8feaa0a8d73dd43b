using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Orbyt.IntegrationTests.Api;

/// <summary>
/// PostgreSQL going away: every request that needs it answers 503 <c>service_unavailable</c> with <c>Retry-After</c>
/// within seconds — not only the first one — and the API, the Uploader and the refresher recover on their own
/// when it is back, with nothing accepted lost.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DatabaseOutageTests(AppHostFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The bound (~2 s) plus room for a machine shared with other test suites.</summary>
    private static readonly TimeSpan FastFailure = TimeSpan.FromSeconds(3);
    /// <summary>
    /// The first wave discovers the outage: it may wait out the API's 2 s connect timeout
    /// (<c>DatabaseCircuit.ConnectTimeoutSeconds</c>) before the circuit opens; 2 s of margin for a loaded CI machine.
    /// </summary>
    private static readonly TimeSpan FirstWaveFailure = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);
    private readonly ResourceControl _resources = new(fixture.App);
    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "outage");

    /// <summary>Whatever happened, the next test finds Postgres and every service healthy.</summary>
    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        await _resources.EnsureRunningAsync("postgres");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        foreach (var resource in new[] { "postgres" }.Concat(AppHostFixture.Services))
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        // The restart killed every connection this test process's own pools hold (TestDatabase, the Supabase kit):
        // the next test to use one would get 57P01 "terminating connection". Start them afresh.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task While_postgres_is_down_every_request_answers_503_with_retry_after_at_once_and_the_api_recovers_by_itself()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var image = new Uri(fixture.Sandbox.BaseAddress!, "_sandbox/media/image.jpg").ToString();
        // A fresh key too, so authentication itself has to read the database (the API caches a key for 10 s).
        var freshKey = (await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/api-keys", new { name = "outage" }, HttpStatusCode.Created)).GetProperty("key").GetString()!;
        var accepted = await _scenario.PublishAsync(page.ConnectionId, "image", image, caption: "accepted before the outage");

        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await _resources.StopAsync("postgres");
        var answers = new List<(string Request, HttpStatusCode Status, TimeSpan Took, string Body)>();
        try
        {
            // Three waves of six concurrent requests, reads and writes, with a cached and with an uncached key.
            for (var wave = 0; wave < 3; wave++)
            {
                var requests = new (string Name, Func<HttpRequestMessage> Build)[]
                {
                    ("list jobs", () => Request(HttpMethod.Get, $"/v1/jobs?user_id={_scenario.UserId}", fixture.BootstrapApiKey)),
                    ("list connections", () => Request(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}", fixture.BootstrapApiKey)),
                    ("get job", () => Request(HttpMethod.Get, $"/v1/jobs/{accepted}?user_id={_scenario.UserId}", fixture.BootstrapApiKey)),
                    ("publish", () => Request(HttpMethod.Post, "/v1/publications", fixture.BootstrapApiKey, new
                    {
                        user_id = _scenario.UserId, targets = new[] { new { connection_id = page.ConnectionId } },
                        media = new { type = "image", url = image }, caption = "during the outage",
                    })),
                    ("list webhooks", () => Request(HttpMethod.Get, "/v1/webhooks", fixture.BootstrapApiKey)),
                    ("fresh key", () => Request(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}", freshKey)),
                };
                var results = await Task.WhenAll(requests.Select(async r =>
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await http.SendAsync(r.Build());
                    var body = await response.Content.ReadAsStringAsync();
                    var took = watch.Elapsed;
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                        Assert.Contains("\"code\":\"service_unavailable\"", body);
                        Assert.True(response.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero, $"{r.Name}: no Retry-After");
                    }
                    return ($"wave {wave}: {r.Name}", response.StatusCode, took, body);
                }));
                answers.AddRange(results);
            }
        }
        finally
        {
            await _resources.StartAsync("postgres", untilHealthy: true);
        }

        var report = string.Join("\n", answers.Select(a => $"{a.Request}: {(int)a.Status} in {a.Took.TotalMilliseconds:F0} ms"));
        output.WriteLine(report);
        Assert.True(answers.All(a => a.Status == HttpStatusCode.ServiceUnavailable), report + "\n" + string.Join("\n", answers.Where(a => a.Status != HttpStatusCode.ServiceUnavailable).Select(a => a.Body)));
        Assert.True(answers.All(a => a.Took < (a.Request.StartsWith("wave 0:", StringComparison.Ordinal) ? FirstWaveFailure : FastFailure)), report);

        // Back by itself: the same requests succeed again, and the job accepted before the outage is published once.
        var healthy = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            using var response = await http.SendAsync(Request(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}", freshKey));
            return response.StatusCode == HttpStatusCode.OK;
        }, "the API answering 200 again", Recovery);
        output.WriteLine($"200 again {healthy.Elapsed.TotalMilliseconds:F0} ms after Postgres was reported healthy");
        var after = await _scenario.PublishAsync(page.ConnectionId, "image", image, caption: "after the outage");
        foreach (var jobId in new[] { accepted, after })
        {
            var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", Recovery);
            Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        }
        var published = await _scenario.Sandbox.PublishedAsync(page.AccountId);
        Assert.Equal(["accepted before the outage", "after the outage"], published.Select(p => p.GetProperty("caption").GetString()).Order());
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string apiKey, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", apiKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }
}
