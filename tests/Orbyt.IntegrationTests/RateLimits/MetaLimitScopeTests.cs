using Orbyt.Core.RateLimits;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Uploader.RateLimits;
using StackExchange.Redis;

namespace Orbyt.IntegrationTests.RateLimits;

/// <summary>
/// Meta's signals stop only the scope they name (reference §17.1), and platform processing is read on a back-off
/// (§17.3), through the running system: the sandbox answers as Meta does, the Uploader's shared budgets in Redis show
/// which scope was stopped, and the job shows when it reads next.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class MetaLimitScopeTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _flagged = null!;
    private Scenario _other = null!;

    public async Task InitializeAsync()
    {
        _flagged = await Scenario.StartAsync(fixture, "scope-a");
        _other = await Scenario.StartAsync(fixture, "scope-b");
    }

    public async Task DisposeAsync()
    {
        _flagged.Dispose();
        _other.Dispose();
        await _flagged.Sandbox.SettingsAsync(new { ig_video_processing_seconds = 30 });
    }

    private static PlatformBudgets Budgets(IConnectionMultiplexer redis) =>
        new(redis, new PlatformClock(TimeProvider.System), new StaticOptions(new PlatformRateLimitOptions()));

    private async Task<int> MediaCallsAsync(string igUserId)
    {
        var calls = await _flagged.Sandbox.CallsAsync();
        return calls.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("POST /graph/", StringComparison.Ordinal) && p.Name.EndsWith($"/{igUserId}/media", StringComparison.Ordinal))
            .Sum(p => p.Value.GetInt32());
    }

    [Fact]
    public async Task An_instagram_account_flagged_as_spam_fails_its_job_and_pauses_only_that_account_while_other_tenants_publish()
    {
        var flagged = await _flagged.ConnectNewAccountAsync("instagram");
        var other = await _other.ConnectNewAccountAsync("instagram");
        (await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/instagram/{flagged.AccountId}/restriction", new { hours = 6 })).EnsureSuccessStatusCode();
        var image = _flagged.Sandbox.Url("_sandbox/media/image.jpg");

        var refused = await _flagged.WaitForJobToFinishAsync(await _flagged.PublishAsync(flagged.ConnectionId, "image", image, caption: "flagged"));

        Assert.True(refused.GetProperty("status").GetString() == "failed", refused.ToString());
        var error = refused.GetProperty("error");
        Assert.Equal("platform_account_restricted", error.GetProperty("code").GetString());
        Assert.Equal(("4", "2207051"), (error.GetProperty("platform").GetProperty("code").GetString(), error.GetProperty("platform").GetProperty("subcode").GetString()));

        // The shared budgets: the flagged account is stopped for hours; the app and the other tenant's account are not.
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var budgets = Budgets(redis);
        Assert.Null(await budgets.WaitTimeAsync(budgets.MetaAppScope()));
        Assert.Null(await budgets.WaitTimeAsync(budgets.MetaAccountScope(other.AccountId)));
        Assert.True(await budgets.WaitTimeAsync(budgets.MetaAccountScope(flagged.AccountId)) > TimeSpan.FromHours(2));

        var published = await _other.WaitForJobToFinishAsync(await _other.PublishAsync(other.ConnectionId, "image", image, caption: "unaffected"));
        Assert.True(published.GetProperty("status").GetString() == "published", published.ToString());
        Assert.DoesNotContain("waiting_rate_limit", _other.SeenJobStates);

        // Another job for the flagged account waits for the pause without asking Meta again, and says why.
        var mediaCalls = await MediaCallsAsync(flagged.AccountId);
        var next = await _flagged.PublishAsync(flagged.ConnectionId, "image", image, caption: "flagged again");
        var waiting = await _flagged.WaitForJobAsync(next, j => j.GetProperty("stage").GetString() == "waiting_rate_limit");
        Assert.Equal("platform_account_restricted", waiting.GetProperty("error").GetProperty("code").GetString());
        Assert.True(waiting.GetProperty("next_attempt_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(2), waiting.ToString());
        Assert.Equal(mediaCalls, await MediaCallsAsync(flagged.AccountId));
        await _flagged.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{next}/cancel", new { user_id = _flagged.UserId });
    }

    [Fact]
    public async Task A_processing_container_is_read_on_a_growing_back_off_capped_at_the_maximum_and_published_when_it_finishes()
    {
        var instagram = await _other.ConnectNewAccountAsync("instagram");
        // The container stays IN_PROGRESS until the test moves the sandbox clock.
        await _other.Sandbox.SettingsAsync(new { ig_video_processing_seconds = 3600 });
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 256 * 1024, ready_after_seconds = 0 });
        var asset = await assetResponse.Content.ReadFromJsonAsync<JsonElement>();
        var jobId = await _other.PublishAsync(instagram.ConnectionId, "video", asset.GetProperty("url").GetString()!, caption: "back-off");

        // Each wait the job reports is next_attempt_at − updated_at: the delay the Uploader chose, on its own clock. A poll
        // that lands while the next status check runs sees the lease's updated_at (now) beside the wait's next_attempt_at
        // (already past): not a wait, so only delays after the save are taken.
        var delays = new List<TimeSpan>();
        var seen = new HashSet<string>();
        await _other.WaitForJobAsync(jobId, job =>
        {
            if (job.GetProperty("stage").GetString() == "platform_processing" && job.GetProperty("next_attempt_at").ValueKind == JsonValueKind.String
                && job.GetProperty("next_attempt_at").GetDateTimeOffset() > job.GetProperty("updated_at").GetDateTimeOffset()
                && seen.Add(job.GetProperty("updated_at").GetString()!))
                delays.Add(job.GetProperty("next_attempt_at").GetDateTimeOffset() - job.GetProperty("updated_at").GetDateTimeOffset());
            return delays.Count(d => d == AppHostFixture.StatusPollMax) >= 2;
        }, timeout: TimeSpan.FromSeconds(90));

        Assert.True(delays[0] < AppHostFixture.StatusPollMax, string.Join(", ", delays));
        Assert.All(delays.Zip(delays.Skip(1)), pair => Assert.True(pair.Second >= pair.First, string.Join(", ", delays)));
        Assert.All(delays, d => Assert.True(d <= AppHostFixture.StatusPollMax, string.Join(", ", delays)));
        Assert.Contains(delays, d => d > AppHostFixture.StatusPollFirst && d < AppHostFixture.StatusPollMax);

        await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 3601 });
        var done = await _other.WaitForJobToFinishAsync(jobId);
        Assert.True(done.GetProperty("status").GetString() == "published", done.ToString());
    }

    private sealed class StaticOptions(PlatformRateLimitOptions value) : IOptionsMonitor<PlatformRateLimitOptions>
    {
        public PlatformRateLimitOptions CurrentValue => value;
        public PlatformRateLimitOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<PlatformRateLimitOptions, string?> listener) => null;
    }
}
