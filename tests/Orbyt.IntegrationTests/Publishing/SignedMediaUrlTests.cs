using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Vault;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Signed Mux URLs (issue 15 item 8, issue 16 item 6; reference §16.3): the token's exp is checked at create time, an
/// expired token met by the Uploader fails media_url_expired, a retry takes a fresh URL of the same file, and the
/// token is never stored in plain text nor returned — the Uploader alone opens the sealed URL.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SignedMediaUrlTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "signed");

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_signed_url_that_expires_before_a_job_can_finish_is_refused_at_create_time()
    {
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { policy = "signed" });

        await AssertRefusedAsync(youtube, await SignAsync(asset, 600, fromOurClock: true), "media_url_expires_too_soon");
        await AssertRefusedAsync(youtube, await SignAsync(asset, -60, fromOurClock: true), "media_url_expired");
        // No token at all: the host refuses it (403) — the same code.
        await AssertRefusedAsync(youtube, asset.GetProperty("url").GetString()!, "media_url_expired");
    }

    [Fact]
    public async Task A_signed_urls_token_is_sealed_in_the_database_and_never_returned_but_the_uploader_fetches_the_whole_url()
    {
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { policy = "signed", size_bytes = 1024 * 1024 + 3 });
        var url = await SignAsync(asset, 4 * 3600);
        var token = url.Split("token=")[1];
        var key = Guid.NewGuid().ToString("N");

        var (created, createdText) = await CreateAsync(youtube, url, key);
        var (replayed, replayedText) = await CreateAsync(youtube, url, key);
        Assert.Equal(HttpStatusCode.Accepted, created);
        Assert.Equal(HttpStatusCode.Accepted, replayed);
        var publication = JsonDocument.Parse(createdText).RootElement;
        var jobId = publication.GetProperty("jobs")[0].GetProperty("id").GetString()!;
        var job = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: TimeSpan.FromMilliseconds(500));
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal(asset.GetProperty("sha256").GetString(), Assert.Single(await _scenario.Sandbox.PublishedAsync(youtube.AccountId)).GetProperty("sha256").GetString());

        var read = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/publications/{publication.GetProperty("id").GetString()}?user_id={_scenario.UserId}");
        Assert.EndsWith("highest.mp4?token=redacted", read.GetProperty("media").GetProperty("url").GetString());
        foreach (var text in new[] { createdText, replayedText, read.ToString(), job.ToString() })
            Assert.DoesNotContain(token, text);

        await using var db = TestDatabase.Open(fixture);
        var row = await db.Publications.AsNoTracking().SingleAsync(p => p.Id == Guid.Parse(publication.GetProperty("id").GetString()!));
        Assert.DoesNotContain(token, row.MediaUrl);
        Assert.Equal(url, TestDatabase.Vault(fixture).Unprotect(row.MediaUrlSealed!, VaultPurposes.MediaUrl));
        var stored = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.Key == key);
        Assert.DoesNotContain(token, stored.ResponseBody);
        var events = await db.WebhookEvents.AsNoTracking().Where(e => e.ClientId == row.ClientId).ToListAsync();
        Assert.DoesNotContain(events, e => e.Payload.RootElement.GetRawText().Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_that_expires_while_the_job_waits_fails_media_url_expired_and_a_retry_with_a_fresh_url_publishes()
    {
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        // The rendition is made in 10 minutes (sandbox clock); the token lasts 3 hours.
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { policy = "signed", ready_after_seconds = 600 });
        var jobId = await _scenario.PublishAsync(youtube.ConnectionId, "video", await SignAsync(asset, 3 * 3600), "signed", "Signed");
        await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "downloading");

        await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 3 * 3600 + 60 });
        var failed = await _scenario.WaitForJobToFinishAsync(jobId);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("media_url_expired", failed.GetProperty("error").GetProperty("code").GetString());

        using (var otherFile = await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/jobs/{jobId}/retry", new
        {
            user_id = _scenario.UserId, media_url = (await SignAsync(asset, 4 * 3600)).Replace("highest.mp4", "1080p.mp4"),
        }))
        {
            await ApiProblem.AssertAsync(otherFile, HttpStatusCode.BadRequest, "media_url_invalid");
        }
        using (var soon = await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/jobs/{jobId}/retry", new { user_id = _scenario.UserId, media_url = await SignAsync(asset, 300, fromOurClock: true) }))
        {
            await ApiProblem.AssertAsync(soon, HttpStatusCode.BadRequest, "media_url_expires_too_soon");
        }
        using (var plain = await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/jobs/{jobId}/retry", new { user_id = _scenario.UserId }))
        {
            await ApiProblem.AssertAsync(plain, HttpStatusCode.Conflict, "job_not_retryable");
        }

        var retried = await _scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{jobId}/retry", new { user_id = _scenario.UserId, media_url = await SignAsync(asset, 4 * 3600) });
        Assert.Equal("queued", retried.GetProperty("status").GetString());
        var job = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: TimeSpan.FromMilliseconds(500));
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal(asset.GetProperty("sha256").GetString(), Assert.Single(await _scenario.Sandbox.PublishedAsync(youtube.AccountId)).GetProperty("sha256").GetString());
    }

    private async Task AssertRefusedAsync(ConnectedAccount target, string url, string code)
    {
        using var response = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = target.ConnectionId } }, media = new { type = "video", url }, title = "Signed",
        });
        var problem = await ApiProblem.AssertAsync(response, code == "media_url_expires_too_soon" ? HttpStatusCode.BadRequest : HttpStatusCode.UnprocessableEntity, code);
        Assert.DoesNotContain("token=", problem.ToString());
    }

    private async Task<(HttpStatusCode, string)> CreateAsync(ConnectedAccount target, string url, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/publications")
        {
            Content = JsonContent.Create(new
            {
                user_id = _scenario.UserId, targets = new[] { new { connection_id = target.ConnectionId } }, media = new { type = "video", url }, title = "Signed",
            }),
        };
        request.Headers.Add("X-Api-Key", _scenario.Api.ApiKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await _scenario.Api.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
    /// <summary>
    /// A URL of the asset's rendition with a playback token valid <paramref name="seconds"/> from the sandbox's now — or
    /// from ours: the API judges exp on its own clock, and earlier tests moved the sandbox's ahead.
    /// </summary>
    private async Task<string> SignAsync(JsonElement asset, long seconds, bool fromOurClock = false)
    {
        var lead = fromOurClock ? (long)(await _scenario.Sandbox.ClockLeadAsync()).TotalSeconds : 0;
        using var response = await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/mux/assets/{asset.GetProperty("asset_id").GetString()}/signed-url", new { expires_in_seconds = seconds - lead });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }
}
