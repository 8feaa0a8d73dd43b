using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Nothing a caller submitted is lost, and nothing is published twice, when an Uploader process dies mid-job
/// or Redis restarts with queued work.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CrashSafetyTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);
    private Scenario _scenario = null!;
    private readonly ResourceControl _resources = new(fixture.App);

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "crash");

    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        await _resources.EnsureRunningAsync("uploader");
    }

    [Fact]
    [Trait("Redis", "Cluster")]
    public async Task An_uploader_killed_during_a_youtube_upload_is_taken_over_and_the_video_is_published_once()
    {
        var channel = await _scenario.ConnectNewAccountAsync("youtube", new { pages = 1 });
        // 48 MiB at 6 MiB/s: about eight seconds of upload to kill the process in.
        var asset = await CreateAssetAsync(48 * 1024 * 1024, throughput: 6 * 1024 * 1024);
        var jobId = await _scenario.PublishAsync(channel.ConnectionId, "video", asset.GetProperty("url").GetString()!, title: "Crash test");

        await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("progress").GetProperty("bytes_transferred") is { ValueKind: JsonValueKind.Number } b && b.GetInt64() > 0, JobTimeout);
        await _resources.KillAsync("uploader");
        await _resources.StartAsync("uploader");

        var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.EveryPoll);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        // The killed run and the run that took over.
        Assert.True(job.GetProperty("attempts").GetInt32() >= 2, job.ToString());
        var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(channel.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
        Assert.Equal(asset.GetProperty("size_bytes").GetInt64(), published.GetProperty("byte_length").GetInt64());
    }

    [Fact]
    public async Task An_uploader_killed_while_instagram_processes_a_reel_publishes_it_once_after_restart()
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram", new { pages = 1 });
        var asset = await CreateAssetAsync(2 * 1024 * 1024);
        var jobId = await _scenario.PublishAsync(account.ConnectionId, "video", asset.GetProperty("url").GetString()!, caption: "reel");

        await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "platform_processing", JobTimeout);
        await _resources.KillAsync("uploader");
        await _resources.StartAsync("uploader");

        var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.EveryPoll);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task An_uploader_killed_while_instagram_processes_a_reel_of_an_instagram_login_account_publishes_it_once_on_graph_instagram_com()
    {
        // Issue 19: the same recipe on graph.instagram.com with the Instagram User token; the container's status after the
        // restart says whether media_publish already went through.
        var account = await _scenario.ConnectNewAccountAsync("instagram", Connections.InstagramLoginTests.WithoutPage, login: "instagram");
        var asset = await CreateAssetAsync(2 * 1024 * 1024);
        var jobId = await _scenario.PublishAsync(account.ConnectionId, "video", asset.GetProperty("url").GetString()!, caption: "reel via instagram login");

        await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "platform_processing", JobTimeout);
        await _resources.KillAsync("uploader");
        await _resources.StartAsync("uploader");

        var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.EveryPoll);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
        var paths = (await _scenario.Sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains(paths, p => p.StartsWith("POST /graph-instagram/", StringComparison.Ordinal) && p.EndsWith($"/{account.AccountId}/media_publish", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.StartsWith("POST /graph/", StringComparison.Ordinal) && p.Contains(account.AccountId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jobs_queued_when_redis_restarts_and_loses_its_streams_still_complete()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook", new { pages = 1 });
        await _resources.StopAsync("uploader");
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
            jobs.Add(await _scenario.PublishAsync(page.ConnectionId, "image", new Uri(fixture.Sandbox.BaseAddress!, "_sandbox/media/image.jpg").ToString(), caption: $"after redis restart {i}"));

        // The local Redis keeps no data in tests: a restart loses the stream and its consumer group.
        await _resources.StopAsync("redis");
        await _resources.StartAsync("redis");
        await _resources.StartAsync("uploader");

        foreach (var jobId in jobs)
        {
            var job = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout);
            Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        }
        Assert.Equal(3, (await _scenario.Sandbox.PublishedAsync(page.AccountId)).Length);
        // Reset what the test changed: the API answers again (its Redis-backed limiter reconnected) before the next test
        // class starts with a call of its own.
        await Eventually.ReadAsync(async () => (await _scenario.Api.SendAsync(HttpMethod.Get, "/v1/client")).StatusCode,
            status => status == HttpStatusCode.OK, "the API to answer after the Redis restart", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task An_uploader_killed_between_a_carousels_children_and_its_publish_publishes_one_carousel_from_the_same_children()
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram", new { pages = 1 });
        var image = _scenario.Sandbox.Url("_sandbox/media/image.jpg");
        var asset = await CreateAssetAsync(512 * 1024);
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = account.ConnectionId } }, caption = "carousel crash",
            media = new object[] { new { type = "image", url = image }, new { type = "video", url = asset.GetProperty("url").GetString()! }, new { type = "image", url = image } },
        }, HttpStatusCode.Accepted);
        var jobId = Guid.Parse(created.GetProperty("jobs")[0].GetProperty("id").GetString()!);

        // The sandbox clock stands still, so the video child stays IN_PROGRESS: the job has made its three children and
        // waits for them, before the parent exists.
        var children = await Eventually.ReadAsync(() => CheckpointChildrenAsync(jobId), ids => ids.Length == 3, "the carousel's three child containers in the checkpoint", JobTimeout);
        Assert.Equal(3, children.Length);
        await _resources.KillAsync("uploader");
        await _resources.StartAsync("uploader");

        var job = await _scenario.WaitForJobAsync(jobId.ToString(), j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.EveryPoll);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        // The run after the crash used the children it found, and published once.
        Assert.Equal(children, job.GetProperty("result").GetProperty("children").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
        Assert.Equal("carousel", published.GetProperty("type").GetString());
        Assert.Equal(["image", "video", "image"], published.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(asset.GetProperty("sha256").GetString(), published.GetProperty("children")[1].GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task An_uploader_killed_while_pushing_a_carousels_video_child_resumes_the_same_child_from_metas_offset_and_publishes_once()
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram", new { pages = 1 });
        // 32 MiB at 2 MiB/s: about sixteen seconds of push to kill the process in.
        var asset = await CreateAssetAsync(32 * 1024 * 1024, throughput: 2 * 1024 * 1024);
        // Meta cannot fetch the video (its host blocks Meta's crawler), so after the hand-over budget its bytes are pushed (§13.7).
        await _scenario.Sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });
        try
        {
            var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = _scenario.UserId, targets = new[] { new { connection_id = account.ConnectionId } }, caption = "pushed child crash",
                media = new object[] { new { type = "image", url = _scenario.Sandbox.Url("_sandbox/media/image.jpg") }, new { type = "video", url = asset.GetProperty("url").GetString()! } },
            }, HttpStatusCode.Accepted);
            var jobId = Guid.Parse(created.GetProperty("jobs")[0].GetProperty("id").GetString()!);

            // The pushed child and its upload URI are saved, and part of its bytes went.
            var pushing = await _scenario.WaitForJobAsync(jobId.ToString(), j => j.GetProperty("progress").GetProperty("bytes_transferred") is { ValueKind: JsonValueKind.Number } b
                && b.GetInt64() >= 1024 * 1024, JobTimeout);
            var children = await Eventually.ReadAsync(() => CheckpointChildrenAsync(jobId, "ig_child_upload_uri"), ids => ids.Length == 2, "the image child and the pushed video child with its upload URI in the checkpoint", JobTimeout);
            await _resources.KillAsync("uploader");
            var sentBeforeTheKill = pushing.GetProperty("progress").GetProperty("bytes_transferred").GetInt64();
            Assert.InRange(sentBeforeTheKill, 1, asset.GetProperty("size_bytes").GetInt64() - 1);
            await _resources.StartAsync("uploader");

            var job = await _scenario.WaitForJobAsync(jobId.ToString(), j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.WhilePlatformProcessing);

            Assert.True(job.GetProperty("status").GetString() == "published", job + "\n" + _scenario.SeenJobStates);
            Assert.Equal("push", job.GetProperty("transfer_method").GetString());
            // The run after the crash used the same two children: no second video child container was made.
            Assert.Equal(children, job.GetProperty("result").GetProperty("children").EnumerateArray().Select(c => c.GetString()!).ToArray());
            // Both runs sent bytes into the same container; rupload refuses any offset but the one it holds, so the
            // bytes below (every one, in order) mean the second run resumed from the offset Meta reported.
            var calls = (await _scenario.Sandbox.CallsAsync()).GetProperty("paths");
            Assert.True(calls.TryGetProperty($"POST /rupload/ig-api-upload/v24.0/{children[1]}", out var uploads) && uploads.GetInt32() >= 2, calls.ToString());
            var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
            Assert.Equal("carousel", published.GetProperty("type").GetString());
            var video = published.GetProperty("children")[1];
            Assert.Equal(("video", asset.GetProperty("sha256").GetString(), asset.GetProperty("size_bytes").GetInt64()),
                (video.GetProperty("type").GetString(), video.GetProperty("sha256").GetString(), video.GetProperty("byte_length").GetInt64()));
        }
        finally
        {
            await (await _scenario.Sandbox.Http.DeleteAsync("/_sandbox/faults")).Content.ReadAsStringAsync();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_uploader_killed_after_the_post_while_its_first_comment_is_in_flight_leaves_one_post_and_one_comment(bool commentMadeBeforeTheKill)
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram", new { pages = 1 });
        // The comment call's answer is held for 30 s, long enough to kill the Uploader while it waits. Either the comment
        // was made (its answer is lost with the process) or Meta failed it (nothing made): the next run cannot tell
        // which without looking.
        if (!commentMadeBeforeTheKill)
            await _scenario.Sandbox.AddFaultAsync(new { kind = "transient", platform = "meta", method = "POST", path_suffix = "/comments", count = 1 });
        await _scenario.Sandbox.SetLatencyAsync(new { rules = new[] { new { platform = "meta", method = "POST", path_suffix = "/comments", fixed_ms = 30_000 } } });
        try
        {
            var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = _scenario.UserId, targets = new[] { new { connection_id = account.ConnectionId } }, caption = "comment crash",
                media = new { type = "image", url = _scenario.Sandbox.Url("_sandbox/media/image.jpg") }, first_comment = "First comment, once",
            }, HttpStatusCode.Accepted);
            var jobId = Guid.Parse(created.GetProperty("jobs")[0].GetProperty("id").GetString()!);

            // The post is live and saved, and the comment call has started.
            await Eventually.ReadAsync(async () => await CheckpointAsync(jobId) is { } checkpoint
                && checkpoint.TryGetProperty("post", out _) && checkpoint.TryGetProperty("first_comment_started_at", out _), started => started, "the post saved and the comment call started", JobTimeout);
            if (commentMadeBeforeTheKill)
            {
                await Eventually.ReadAsync(async () => (await _scenario.Sandbox.PublishedAsync(account.AccountId)).Sum(p => p.GetProperty("comments").GetArrayLength()),
                    count => count == 1, "the comment made on the sandbox", JobTimeout);
            }
            await _resources.KillAsync("uploader");
            await _scenario.Sandbox.ClearLatencyAsync();
            await _resources.StartAsync("uploader");

            var job = await _scenario.WaitForJobAsync(jobId.ToString(), j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.EveryPoll);

            Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
            var published = Assert.Single(await _scenario.Sandbox.PublishedAsync(account.AccountId));
            var comment = Assert.Single(published.GetProperty("comments").EnumerateArray());
            Assert.Equal("First comment, once", comment.GetProperty("message").GetString());
            var result = job.GetProperty("result");
            Assert.Equal(published.GetProperty("id").GetString(), result.GetProperty("platform_post_id").GetString());
            Assert.Equal(comment.GetProperty("id").GetString(), result.GetProperty("first_comment").GetProperty("id").GetString());
        }
        finally
        {
            await _scenario.Sandbox.ClearLatencyAsync();
            await (await _scenario.Sandbox.Http.DeleteAsync("/_sandbox/faults")).Content.ReadAsStringAsync();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_uploader_killed_between_a_facebook_posts_unpublished_photos_and_its_feed_post_leaves_one_post_of_photos_uploaded_once(bool postMadeBeforeTheKill)
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook", new { pages = 1 });
        var image = _scenario.Sandbox.Url("_sandbox/media/image.jpg");
        var caption = $"multi-photo crash {Guid.NewGuid():N}";
        // The /feed call's answer is held for 30 s, long enough to kill the Uploader while it waits. Either the post was
        // made (its answer is lost with the process) or Meta failed it (nothing posted): the next run cannot tell which
        // without looking.
        if (!postMadeBeforeTheKill)
            await _scenario.Sandbox.AddFaultAsync(new { kind = "transient", platform = "meta", method = "POST", path_prefix = $"/graph/v24.0/{page.AccountId}/feed", count = 1 });
        await _scenario.Sandbox.SetLatencyAsync(new { rules = new[] { new { platform = "meta", method = "POST", path_prefix = $"/graph/v24.0/{page.AccountId}/feed", fixed_ms = 30_000 } } });
        try
        {
            var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = _scenario.UserId, targets = new[] { new { connection_id = page.ConnectionId } }, caption,
                media = new[] { new { type = "image", url = image }, new { type = "image", url = image } },
            }, HttpStatusCode.Accepted);
            var jobId = Guid.Parse(created.GetProperty("jobs")[0].GetProperty("id").GetString()!);

            // Both unpublished photos are saved and the /feed call has started.
            var photos = await Eventually.ReadAsync(() => CheckpointChildrenAsync(jobId, "publish_started_at"), ids => ids.Length == 2, "the two unpublished photos saved and the feed post started", JobTimeout);
            if (postMadeBeforeTheKill)
                await Eventually.ReadAsync(async () => (await _scenario.Sandbox.PublishedAsync(page.AccountId)).Length, count => count == 1, "the post made on the sandbox", JobTimeout);
            await _resources.KillAsync("uploader");
            await _scenario.Sandbox.ClearLatencyAsync();
            await _resources.StartAsync("uploader");

            var job = await _scenario.WaitForJobAsync(jobId.ToString(), j => j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.EveryPoll);

            Assert.True(job.GetProperty("status").GetString() == "published", job + "\n" + _scenario.SeenJobStates);
            var post = Assert.Single(await _scenario.Sandbox.PublishedAsync(page.AccountId));
            Assert.Equal(("feed", caption), (post.GetProperty("type").GetString(), post.GetProperty("caption").GetString()));
            var result = job.GetProperty("result");
            Assert.Equal(post.GetProperty("id").GetString(), result.GetProperty("platform_post_id").GetString());
            // The post is made of the photos saved before the kill, and each photo was uploaded once.
            Assert.Equal(photos, post.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray());
            Assert.Equal(photos, result.GetProperty("children").EnumerateArray().Select(c => c.GetString()!).ToArray());
            var calls = (await _scenario.Sandbox.CallsAsync()).GetProperty("paths");
            Assert.Equal(2, calls.GetProperty($"POST /graph/v24.0/{page.AccountId}/photos").GetInt32());
            // The held call, then — only when it failed — the one post the restarted run made after looking.
            Assert.Equal(postMadeBeforeTheKill ? 1 : 2, calls.GetProperty($"POST /graph/v24.0/{page.AccountId}/feed").GetInt32());
            Assert.True(calls.TryGetProperty($"GET /graph/v24.0/{page.AccountId}/feed", out _), "the restarted run looked on the Page before posting");
        }
        finally
        {
            await _scenario.Sandbox.ClearLatencyAsync();
            await (await _scenario.Sandbox.Http.DeleteAsync("/_sandbox/faults")).Content.ReadAsStringAsync();
        }
    }

    /// <summary>The job's checkpoint as the Uploader last saved it (null before its first save).</summary>
    private async Task<JsonElement?> CheckpointAsync(Guid jobId)
    {
        await using var db = TestDatabase.Open(fixture);
        var checkpoint = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.Checkpoint).SingleAsync();
        return checkpoint?.RootElement.Clone();
    }

    /// <summary>The child ids in the job's checkpoint, once <paramref name="marker"/> is saved there too (none before).</summary>
    private async Task<string[]> CheckpointChildrenAsync(Guid jobId, string? marker = null) =>
        await CheckpointAsync(jobId) is { } checkpoint && (marker is null || checkpoint.TryGetProperty(marker, out _)) && checkpoint.TryGetProperty("children", out var ids)
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToArray()
            : [];

    private async Task<JsonElement> CreateAssetAsync(long size, long? throughput = null)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = size, ready_after_seconds = 0, throughput_bytes_per_second = throughput });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
