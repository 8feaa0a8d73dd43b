using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// The Facebook recipe's fallbacks, driven by sandbox faults: the resumable upload when Meta cannot fetch a video
/// URL, the multipart `source` post when it cannot fetch a photo URL, and a post whose answer was lost, looked up on the Page before anything is posted again.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class FacebookFallbackTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "fb");
        (_sandbox, _userId) = (_scenario.Sandbox, _scenario.UserId);
    }

    public async Task DisposeAsync()
    {
        // A fault a failing test did not use up must not reach the next test.
        (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        _scenario.Dispose();
    }

    [Fact]
    public async Task A_video_meta_cannot_fetch_is_pushed_through_the_resumable_upload_api_that_resumes_after_a_cut()
    {
        // Reference §17.4: the Resumable Upload API on graph.facebook.com (a session of the user token, bytes from
        // file_offset), then the Page video published with the file handle.
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var asset = await CreateMuxAssetAsync(3 * 1024 * 1024 + 4321);
        // Every fetch by Meta's crawler fails (the host blocks facebookexternalhit), so Meta answers 389 to each
        // file_url post; the Uploader hands the URL over three times (PlatformFetchRetries 2), then pushes the bytes.
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });
        // The first bytes sent into the upload session are cut after 300 000 bytes: the next attempt resumes from there.
        await _sandbox.AddFaultAsync(new { kind = "cut_connection", platform = "meta", path_prefix = "/graph/v24.0/upload:", method = "POST", after_bytes = 300_000, count = 1 });

        var job = await PublishAndWaitAsync(page, "video", asset.Url, "pushed video");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        Assert.True(job.GetProperty("attempts").GetInt32() >= 2, $"the cut transfer should have cost an attempt: {job}");
        Assert.Equal(asset.Size, job.GetProperty("progress").GetProperty("bytes_transferred").GetInt64());
        var video = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal("video", video.GetProperty("type").GetString());
        Assert.Equal(asset.Sha256, video.GetProperty("sha256").GetString());
        Assert.Equal(job.GetProperty("result").GetProperty("platform_post_id").GetString(), video.GetProperty("id").GetString());
        // Every scripted failure was met: three hand-offs of the URL before the push, and the cut upload window.
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var calls = await CallCountsAsync();
        Assert.Equal(1, calls.GetValueOrDefault("POST /graph/v24.0/1234567890/uploads"));
        Assert.True(calls.GetValueOrDefault("GET /graph/v24.0/upload:" + SessionOf(calls)) >= 1, "the cut session was resumed from Meta's offset");
        Assert.Equal(4, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/videos")); // three file_url posts (389), then the handle
        Assert.DoesNotContain(calls.Keys, k => k.Contains("/graph-video/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_photo_meta_cannot_fetch_is_handed_over_again_then_pushed_as_a_source_part_with_its_exact_bytes()
    {
        // Reference §2.2: a Page photo by `url` or as the multipart file part `source`. Meta's crawler is blocked
        // (§2.4): each url post answers 324/2069019; the Uploader hands the URL over three times
        // (PlatformFetchRetries 2), then reads the photo itself and posts its bytes.
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var (imageUrl, sha256) = await MuxImageAsync();
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var caption = $"pushed photo {_userId}";
        var job = await PublishAndWaitAsync(page, "image", imageUrl, caption);

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        var photo = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal("photo", photo.GetProperty("type").GetString());
        Assert.Equal(sha256, photo.GetProperty("sha256").GetString());
        Assert.Equal(caption, photo.GetProperty("caption").GetString());
        Assert.EndsWith(job.GetProperty("result").GetProperty("platform_post_id").GetString()!, photo.GetProperty("permalink").GetString());
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        // Three url posts (324), then the one with the bytes.
        Assert.Equal(4, (await CallCountsAsync()).GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/photos"));
    }

    [Fact]
    public async Task A_pushed_photo_whose_answer_was_lost_is_found_on_the_page_and_not_posted_again()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var (imageUrl, sha256) = await MuxImageAsync();
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });
        // Only the post carrying the bytes (multipart) loses its answer: the photo is on the Page, the Uploader does not know.
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", path_prefix = $"/graph/v24.0/{page.AccountId}/photos", method = "POST", content_type = "multipart/form-data", count = 1 });

        var job = await PublishAndWaitAsync(page, "image", imageUrl, $"lost push {_userId}");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        var photo = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal(sha256, photo.GetProperty("sha256").GetString());
        Assert.EndsWith(job.GetProperty("result").GetProperty("platform_post_id").GetString()!, photo.GetProperty("permalink").GetString());
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var calls = await CallCountsAsync();
        Assert.Equal(4, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/photos")); // three url posts, one push, no second push
        Assert.True(calls.GetValueOrDefault($"GET /graph/v24.0/{page.AccountId}/photos") >= 1, "the Page's photos were looked up");
    }

    /// <summary>An image.mux.com thumbnail (§16.4) and the SHA-256 of its bytes as anyone but Meta's crawler reads them.</summary>
    private async Task<(string Url, string Sha256)> MuxImageAsync()
    {
        var asset = await _sandbox.MuxAssetAsync(new { width = 1280, height = 720 });
        var url = asset.GetProperty("image_url").GetString()!;
        var bytes = await fixture.Sandbox.GetByteArrayAsync(url);
        return (url, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    private static string SessionOf(Dictionary<string, int> calls) =>
        calls.Keys.Single(k => k.StartsWith("POST /graph/v24.0/upload:", StringComparison.Ordinal))["POST /graph/v24.0/upload:".Length..];

    [Fact]
    public async Task A_photo_post_whose_answer_was_lost_is_found_on_the_page_and_not_posted_again()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", path_prefix = $"/graph/v24.0/{page.AccountId}/photos", method = "POST", count = 1 });

        var job = await PublishAndWaitAsync(page, "image", _sandbox.Url("_sandbox/media/image.jpg"), $"lost answer {_userId}");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var photo = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.EndsWith(job.GetProperty("result").GetProperty("platform_post_id").GetString()!, photo.GetProperty("permalink").GetString());
        var calls = await CallCountsAsync();
        Assert.Equal(1, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/photos"));
        Assert.True(calls.GetValueOrDefault($"GET /graph/v24.0/{page.AccountId}/photos") >= 1, "the Page's photos were looked up");
    }

    [Fact]
    public async Task A_video_post_whose_answer_was_lost_is_found_on_the_page_and_followed_to_the_end()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var asset = await CreateMuxAssetAsync(1024 * 1024 + 17);
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", path_prefix = $"/graph/v24.0/{page.AccountId}/videos", method = "POST", count = 1 });

        var job = await PublishAndWaitAsync(page, "video", asset.Url, $"lost video {_userId}");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("platform_pull", job.GetProperty("transfer_method").GetString());
        var video = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal(asset.Sha256, video.GetProperty("sha256").GetString());
        Assert.Equal(video.GetProperty("id").GetString(), job.GetProperty("result").GetProperty("platform_post_id").GetString());
        Assert.Equal(1, (await CallCountsAsync()).GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/videos"));
    }

    [Fact]
    public async Task A_photo_post_cut_before_meta_read_it_is_posted_once_after_the_page_shows_nothing()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        await _sandbox.AddFaultAsync(new { kind = "cut_connection", platform = "meta", path_prefix = $"/graph/v24.0/{page.AccountId}/photos", method = "POST", after_bytes = 10, count = 1 });

        var job = await PublishAndWaitAsync(page, "image", _sandbox.Url("_sandbox/media/image.jpg"), $"cut early {_userId}");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        var calls = await CallCountsAsync();
        Assert.Equal(2, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/photos"));
        Assert.True(calls.GetValueOrDefault($"GET /graph/v24.0/{page.AccountId}/photos") >= 2, "nothing is posted again before two lookups found nothing");
    }

    [Fact]
    public async Task A_lost_answer_that_several_posts_on_the_page_could_be_fails_with_publish_outcome_unknown()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var caption = $"ambiguous {_userId}";
        // The same text posted on the Page by someone else, just before.
        var pageToken = await TestDatabase.ConnectionTokenAsync(fixture, page.ConnectionId);
        using (var direct = await fixture.Sandbox.PostAsync($"/graph/v24.0/{page.AccountId}/photos", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["url"] = _sandbox.Url("_sandbox/media/image.jpg"),
            ["message"] = caption,
            ["access_token"] = pageToken,
            ["appsecret_proof"] = SandboxControl.MetaProof(pageToken),
        })))
        {
            direct.EnsureSuccessStatusCode();
        }
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", path_prefix = $"/graph/v24.0/{page.AccountId}/photos", method = "POST", count = 1 });

        var job = await PublishAndWaitAsync(page, "image", _sandbox.Url("_sandbox/media/image.jpg"), caption);

        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Equal("publish_outcome_unknown", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, (await _sandbox.PublishedAsync(page.AccountId)).Length);
    }

    private sealed record MuxAsset(string Url, long Size, string Sha256);

    private async Task<MuxAsset> CreateMuxAssetAsync(long size)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = size, ready_after_seconds = 0 });
        var asset = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new MuxAsset(asset.GetProperty("url").GetString()!, size, asset.GetProperty("sha256").GetString()!);
    }

    /// <summary>One target publication; waits (moving the sandbox clock through video processing) until the job ends.</summary>
    private async Task<JsonElement> PublishAndWaitAsync(ConnectedAccount page, string type, string url, string caption)
    {
        var jobId = await _scenario.PublishAsync(page.ConnectionId, type, url, caption, title: type == "video" ? "Fallback test" : null);
        return await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: TimeSpan.FromMilliseconds(500));
    }

    private async Task<Dictionary<string, int>> CallCountsAsync() =>
        (await _sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

}
