using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Orbyt.IntegrationTests.Connections;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Publishing to an account connected with Instagram Login (issue 19, reference §14.6): the Instagram recipe — the
/// same code as for Facebook Login — on graph.instagram.com with the Instagram User token; the publishing limit and
/// the budgets are the account's own.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class InstagramLoginPublishingTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "igpub");

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    private Task<ConnectedAccount> ConnectAsync() => _scenario.ConnectNewAccountAsync("instagram", InstagramLoginTests.WithoutPage, login: "instagram");

    private async Task<string[]> PathsAsync() =>
        (await _scenario.Sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task An_image_is_published_on_graph_instagram_com_with_the_instagram_user_token()
    {
        var account = await ConnectAsync();
        var imageUrl = _scenario.Sandbox.Url("_sandbox/media/image.jpg");
        var imageHash = Convert.ToHexStringLower(SHA256.HashData(await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg")));

        var jobId = await _scenario.PublishAsync(account.ConnectionId, "image", imageUrl, caption: "No Page needed #orbyt");
        var job = await _scenario.WaitForJobToFinishAsync(jobId, poll: Poll);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.StartsWith("https://www.instagram.com/p/", job.GetProperty("result").GetProperty("permalink").GetString());
        var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
        Assert.Equal(imageHash, published.GetProperty("sha256").GetString());
        Assert.Equal("No Page needed #orbyt", published.GetProperty("caption").GetString());

        var paths = await PathsAsync();
        Assert.Contains($"POST /graph-instagram/v24.0/{account.AccountId}/media", paths);
        Assert.Contains($"GET /graph-instagram/v24.0/{account.AccountId}/content_publishing_limit", paths);
        Assert.Contains($"POST /graph-instagram/v24.0/{account.AccountId}/media_publish", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("POST /graph/", StringComparison.Ordinal) && p.Contains(account.AccountId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reel_is_published_once_after_instagram_processes_it()
    {
        var account = await ConnectAsync();
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 2 * 1024 * 1024, ready_after_seconds = 0 });
        var asset = await assetResponse.Content.ReadFromJsonAsync<JsonElement>();

        var jobId = await _scenario.PublishAsync(account.ConnectionId, "video", asset.GetProperty("url").GetString()!, caption: "A reel");
        var job = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: Poll);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.StartsWith("https://www.instagram.com/reel/", job.GetProperty("result").GetProperty("permalink").GetString());
        var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
        Assert.Equal("reels", published.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_carousel_is_one_post_built_on_graph_instagram_com()
    {
        var account = await ConnectAsync();
        var imageUrl = _scenario.Sandbox.Url("_sandbox/media/image.jpg");
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = account.ConnectionId } },
            media = new object[] { new { type = "image", url = imageUrl }, new { type = "image", url = imageUrl } },
            caption = "Two views",
        }, HttpStatusCode.Accepted);
        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!, poll: Poll);

        Assert.True(publication.GetProperty("status").GetString() == "published", publication.ToString());
        var carousel = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
        Assert.Equal("carousel", carousel.GetProperty("type").GetString());
        Assert.Equal(2, carousel.GetProperty("children").GetArrayLength());
        Assert.DoesNotContain(await PathsAsync(), p => p.StartsWith("POST /graph/", StringComparison.Ordinal) && p.Contains(account.AccountId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_video_instagram_cannot_fetch_fails_with_media_fetch_failed_because_instagram_login_has_no_upload_path()
    {
        var account = await ConnectAsync();
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 1024 * 1024, ready_after_seconds = 0 });
        var asset = await assetResponse.Content.ReadFromJsonAsync<JsonElement>();
        // Meta's fetcher is refused by the media host every time (the Uploader's own reads work).
        await _scenario.Sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 50 });
        // The sandbox's call log is shared by every test of the AppHost: only a rupload call made by this job counts.
        static bool IsRupload(string path) => path.Contains("/rupload/ig-api-upload/", StringComparison.Ordinal);
        var ruploadsBefore = (await PathsAsync()).Where(IsRupload).ToHashSet();
        try
        {
            var jobId = await _scenario.PublishAsync(account.ConnectionId, "video", asset.GetProperty("url").GetString()!, caption: "unreachable");
            var job = await _scenario.WaitForJobToFinishAsync(jobId, TimeSpan.FromMinutes(3), SandboxClockMove.EveryPoll, Poll);

            Assert.Equal("failed", job.GetProperty("status").GetString());
            Assert.Equal("media_fetch_failed", job.GetProperty("error").GetProperty("code").GetString());
            Assert.Empty(await _scenario.Sandbox.PublishedAsync(account.AccountId));
            Assert.Empty((await PathsAsync()).Where(IsRupload).Except(ruploadsBefore));
        }
        finally
        {
            (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        }
    }

    [Fact]
    public async Task A_carousel_video_instagram_cannot_fetch_fails_with_media_fetch_failed_naming_the_item_and_pushes_nothing()
    {
        var account = await ConnectAsync();
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 512 * 1024, ready_after_seconds = 0 });
        var asset = await assetResponse.Content.ReadFromJsonAsync<JsonElement>();
        // Meta's fetcher is refused by the video's host every time; the image is on another host.
        await _scenario.Sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 50 });
        static bool IsRupload(string path) => path.Contains("/rupload/ig-api-upload/", StringComparison.Ordinal);
        var ruploadsBefore = (await PathsAsync()).Where(IsRupload).ToHashSet();
        try
        {
            var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = _scenario.UserId, targets = new[] { new { connection_id = account.ConnectionId } }, caption = "unreachable child",
                media = new object[] { new { type = "image", url = _scenario.Sandbox.Url("_sandbox/media/image.jpg") }, new { type = "video", url = asset.GetProperty("url").GetString()! } },
            }, HttpStatusCode.Accepted);
            var job = await _scenario.WaitForJobToFinishAsync(created.GetProperty("jobs")[0].GetProperty("id").GetString()!, TimeSpan.FromMinutes(3), SandboxClockMove.EveryPoll, Poll);

            // §13.7, §14.6: no resumable child container on graph.instagram.com, so the job fails and says why.
            Assert.Equal("failed", job.GetProperty("status").GetString());
            var error = job.GetProperty("error");
            Assert.Equal("media_fetch_failed", error.GetProperty("code").GetString());
            Assert.Contains("item 2 of the carousel", error.GetProperty("message").GetString());
            Assert.Contains("Instagram Login", error.GetProperty("message").GetString());
            Assert.Empty(await _scenario.Sandbox.PublishedAsync(account.AccountId));
            Assert.Empty((await PathsAsync()).Where(IsRupload).Except(ruploadsBefore));
        }
        finally
        {
            (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        }
    }

    [Fact]
    public async Task The_publishing_limit_of_one_account_holds_its_job_while_another_instagram_login_account_publishes()
    {
        var full = await ConnectAsync();
        var other = await ConnectAsync();
        using (var exhausted = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/quotas/exhaust", new { quota = "instagram_publishing", account_id = full.AccountId }))
            exhausted.EnsureSuccessStatusCode();
        var imageUrl = _scenario.Sandbox.Url("_sandbox/media/image.jpg");

        var waiting = await _scenario.PublishAsync(full.ConnectionId, "image", imageUrl, caption: "over the limit");
        var held = await _scenario.WaitForJobAsync(waiting, j => j.GetProperty("stage").GetString() == "waiting_rate_limit", poll: Poll);
        Assert.Equal("instagram_publishing_limit_reached", held.GetProperty("error").GetProperty("code").GetString());

        var free = await _scenario.PublishAsync(other.ConnectionId, "image", imageUrl, caption: "own limit");
        var done = await _scenario.WaitForJobToFinishAsync(free, poll: Poll);
        Assert.Equal("published", done.GetProperty("status").GetString());
        Assert.Empty(await _scenario.Sandbox.PublishedAsync(full.AccountId));
        var still = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/jobs/{waiting}?user_id={_scenario.UserId}");
        Assert.NotEqual("published", still.GetProperty("status").GetString());
        Assert.Equal("waiting_rate_limit", still.GetProperty("stage").GetString());
        (await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/jobs/{waiting}/cancel?user_id={_scenario.UserId}", new { })).Dispose();
    }
}
