using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// Scripted response latency (POST /_sandbox/latency). The reference documents the platforms' shapes, not their
/// timings (no section gives a latency), so what is tested here is the sandbox's own contract: which calls a rule
/// slows, that the platform's effect (§2.2: the photo is on the Page) exists before the slow answer arrives, that a
/// p50/p99 rule draws a repeatable log-normal sequence from its seed, and that slow calls hold no thread.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class LatencyContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => sandbox.ResetAsync();

    [Fact]
    public async Task A_fixed_latency_slows_the_calls_its_platform_path_and_method_match_and_no_others()
    {
        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { platform = "meta", path_prefix = "/graph/v24.0/me", method = "GET", fixed_ms = 400 } } });

        var watch = Stopwatch.StartNew();
        var slow = await sandbox.Http.GetAsync("graph/v24.0/me");
        Assert.Equal(HttpStatusCode.BadRequest, slow.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 400, $"answered after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(104, FlowHelpers.GraphError(JsonNode.Parse(await slow.Content.ReadAsStringAsync())!).Code);

        // Another path, another method, another platform, the control API: not matched.
        await sandbox.Http.GetAsync("graph/v24.0/debug_token");
        await sandbox.Http.PostAsync("graph/v24.0/me", null);
        await sandbox.Http.GetAsync("mux-stream/none/highest.mp4");
        await sandbox.Http.GetAsync("_sandbox/clock");

        var latency = await sandbox.GetJsonAsync("_sandbox/latency");
        var rule = latency["rules"]![0]!;
        Assert.Equal(1, rule["delayed"]!.GetValue<int>());
        Assert.Equal(400, rule["observed"]!["max_ms"]!.GetValue<double>());
        Assert.Equal(4, latency["calls"]!.GetValue<int>());
    }

    [Fact]
    public async Task No_answer_comes_before_its_delay_however_the_timer_rounds()
    {
        // A timer counts in the coarse system tick and can end a few milliseconds early; the sandbox must not.
        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { platform = "meta", path_prefix = "/graph/v24.0/me", method = "GET", fixed_ms = 23 } } });
        var early = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var watch = Stopwatch.StartNew();
            using var answer = await sandbox.Http.GetAsync("graph/v24.0/me", HttpCompletionOption.ResponseHeadersRead);
            if (watch.Elapsed < TimeSpan.FromMilliseconds(23))
                early.Add(watch.Elapsed.TotalMilliseconds);
        }

        Assert.True(early.Count == 0, $"answered before 23 ms: {string.Join(", ", early.Select(ms => $"{ms:F2} ms"))}");
    }

    [Fact]
    public async Task The_delay_is_spent_after_the_call_took_effect_and_before_its_answer_is_written()
    {
        var (userToken, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, userToken, pageId);
        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { path_prefix = $"/graph/v24.0/{pageId}/photos", fixed_ms = 2000 } } });

        var post = sandbox.PostGraphAsync($"{pageId}/photos", new() { ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["message"] = "slow", ["access_token"] = pageToken });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await sandbox.PublishedAsync(pageId)).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the photo never appeared on the Page");
        }

        Assert.False(post.IsCompleted, "the answer came before the photo was on the Page plus the scripted delay");
        var answer = await post;
        Assert.StartsWith(pageId + "_", answer["post_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_p50_p99_rule_draws_a_log_normal_sequence_that_its_seed_repeats()
    {
        var first = await DrawAsync(seed: 7);
        // 400 draws of a log-normal with median 20 ms and 99th percentile 100 ms (σ = ln 5 / 2.326 ≈ 0.69).
        Assert.InRange(first["p50_ms"]!.GetValue<double>(), 17, 23);
        Assert.InRange(first["p90_ms"]!.GetValue<double>(), 36, 58);
        Assert.InRange(first["p99_ms"]!.GetValue<double>(), 70, 140);
        Assert.True(first["min_ms"]!.GetValue<double>() < first["p50_ms"]!.GetValue<double>());

        var again = await DrawAsync(seed: 7);
        Assert.Equal(first.ToJsonString(), again.ToJsonString());
        var other = await DrawAsync(seed: 8);
        Assert.NotEqual(first.ToJsonString(), other.ToJsonString());
    }

    [Fact]
    public async Task Thousands_of_slow_calls_are_open_at_once_because_a_delay_holds_no_thread()
    {
        const int calls = 2000;
        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { platform = "mux", fixed_ms = 3000 } } });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = calls }) { BaseAddress = sandbox.BaseUri, Timeout = TimeSpan.FromMinutes(2) };

        var watch = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            using var response = await http.GetAsync($"mux-stream/none-{i}/highest.mp4");
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        var latency = await sandbox.GetJsonAsync("_sandbox/latency");
        // A thread per waiting call would cap this at the thread pool's size, which grows by about one thread a second.
        Assert.True(latency["max_in_flight"]!.GetValue<int>() >= calls * 3 / 4, latency.ToJsonString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{calls} calls of 3 s took {watch.Elapsed}");
        Assert.Equal(0, latency["in_flight"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"rules":[{"path_prefix":"/graph/"}]}""")]
    [InlineData("""{"rules":[{"fixed_ms":-1}]}""")]
    [InlineData("""{"rules":[{"fixed_ms":10,"p50_ms":10,"p99_ms":20}]}""")]
    [InlineData("""{"rules":[{"p50_ms":300,"p99_ms":100}]}""")]
    [InlineData("""{"rules":[{"p50_ms":300}]}""")]
    public async Task A_rule_without_a_usable_delay_is_refused_and_the_current_rules_stay(string body)
    {
        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { platform = "youtube", fixed_ms = 5 } } });
        var refused = await sandbox.Http.PostAsync("_sandbox/latency", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("youtube", (await sandbox.GetJsonAsync("_sandbox/latency"))["rules"]![0]!["platform"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_and_delete_remove_the_latency()
    {
        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { fixed_ms = 5 } } });
        await sandbox.Http.DeleteAsync("_sandbox/latency");
        Assert.Empty((await sandbox.GetJsonAsync("_sandbox/latency"))["rules"]!.AsArray());

        await sandbox.PostControlAsync("_sandbox/latency", new { rules = new[] { new { fixed_ms = 5 } } });
        await sandbox.ResetAsync();
        Assert.Empty((await sandbox.GetJsonAsync("_sandbox/latency"))["rules"]!.AsArray());
    }

    /// <summary>400 concurrent calls under one p50 20 ms / p99 100 ms rule with <paramref name="seed"/>; the delays' summary.</summary>
    private async Task<JsonNode> DrawAsync(int seed)
    {
        await sandbox.PostControlAsync("_sandbox/latency", new { seed, rules = new[] { new { platform = "mux", p50_ms = 20, p99_ms = 100 } } });
        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => sandbox.Http.GetAsync($"mux-stream/none-{i}/highest.mp4")));
        return (await sandbox.GetJsonAsync("_sandbox/latency"))["rules"]![0]!["observed"]!;
    }
}
