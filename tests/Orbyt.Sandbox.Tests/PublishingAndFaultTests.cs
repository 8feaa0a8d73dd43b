using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class PublishingAndFaultTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private string _userToken = "";
    private string _pageId = "";
    private string _igId = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        (_userToken, _pageId, _igId) = await FlowHelpers.MetaAccountAsync(sandbox);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_instagram_image_is_fetched_hashed_published_once_and_gets_a_permalink()
    {
        var jpegUrl = sandbox.Url("_sandbox/media/image.jpg");
        var container = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = jpegUrl, ["caption"] = "Hello", ["access_token"] = _userToken });
        var id = container["id"]!.GetValue<string>();
        var media = await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = id, ["access_token"] = _userToken });
        var mediaId = media["id"]!.GetValue<string>();
        var again = await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = id, ["access_token"] = _userToken });
        Assert.NotNull(again["error"]);

        var permalink = await sandbox.GetJsonAsync($"graph/v24.0/{mediaId}?fields=permalink,media_type&access_token={_userToken}");
        Assert.StartsWith("https://www.instagram.com/p/", permalink["permalink"]!.GetValue<string>());
        var published = Assert.Single(await sandbox.PublishedAsync(_igId));
        var jpeg = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg");
        Assert.Equal(FlowHelpers.Sha256(jpeg), published!["sha256"]!.GetValue<string>());
        Assert.Equal("Hello", published["caption"]!.GetValue<string>());
    }

    [Fact]
    public async Task Instagram_refuses_a_png_an_unreachable_url_and_a_non_mp4_video_with_metas_codes()
    {
        var png = (await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.png"), ["access_token"] = _userToken }))["error"]!;
        Assert.Equal((36001, 2207005), (png["code"]!.GetValue<int>(), png["error_subcode"]!.GetValue<int>()));
        var missing = (await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = "http://127.0.0.1:1/x.jpg", ["access_token"] = _userToken }))["error"]!;
        Assert.Equal((9004, 2207052), (missing["code"]!.GetValue<int>(), missing["error_subcode"]!.GetValue<int>()));
        var notMp4 = (await sandbox.PostGraphAsync($"{_igId}/media", new() { ["video_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["media_type"] = "REELS", ["access_token"] = _userToken }))["error"]!;
        Assert.Equal((352, 2207026), (notMp4["code"]!.GetValue<int>(), notMp4["error_subcode"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_reel_container_is_in_progress_publishing_early_is_9007_and_after_the_clock_moves_it_publishes()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 200_000 });
        var container = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "REELS", ["access_token"] = _userToken });
        var id = container["id"]!.GetValue<string>();
        Assert.Equal("IN_PROGRESS", (await sandbox.GetJsonAsync($"graph/v24.0/{id}?fields=status_code&access_token={_userToken}"))["status_code"]!.GetValue<string>());
        var early = (await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = id, ["access_token"] = _userToken }))["error"]!;
        Assert.Equal((9007, 2207027), (early["code"]!.GetValue<int>(), early["error_subcode"]!.GetValue<int>()));

        await sandbox.AdvanceClockAsync(31);
        Assert.Equal("FINISHED", (await sandbox.GetJsonAsync($"graph/v24.0/{id}?fields=status_code&access_token={_userToken}"))["status_code"]!.GetValue<string>());
        Assert.NotNull((await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = id, ["access_token"] = _userToken }))["id"]);
        Assert.Equal(asset["sha256"]!.GetValue<string>(), Assert.Single(await sandbox.PublishedAsync(_igId))!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_publishing_limit_is_reported_and_enforced_with_9_2207042_and_a_scripted_failure_makes_a_container_ERROR()
    {
        await sandbox.FaultAsync(new { kind = "processing_failure", platform = "instagram", subcode = 2207026 });
        var failed = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = _userToken });
        var status = await sandbox.GetJsonAsync($"graph/v24.0/{failed["id"]}?fields=status_code,status&access_token={_userToken}");
        Assert.Equal("ERROR", status["status_code"]!.GetValue<string>());
        Assert.Contains("2207026", status["status"]!.GetValue<string>());

        await sandbox.PostControlAsync("_sandbox/quotas/exhaust", new { quota = "instagram_publishing", account_id = _igId });
        var limit = await sandbox.GetJsonAsync($"graph/v24.0/{_igId}/content_publishing_limit?fields=quota_usage,config&access_token={_userToken}");
        Assert.Equal(50, limit["data"]![0]!["config"]!["quota_total"]!.GetValue<int>());
        Assert.Equal(50, limit["data"]![0]!["quota_usage"]!.GetValue<int>());
        var ok = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = _userToken });
        var refused = (await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = ok["id"]!.GetValue<string>(), ["access_token"] = _userToken }))["error"]!;
        Assert.Equal((9, 2207042), (refused["code"]!.GetValue<int>(), refused["error_subcode"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Page_photos_videos_resumable_uploads_and_reels_are_accepted_and_recorded_with_their_hashes()
    {
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, _userToken, _pageId);
        var photo = await sandbox.PostGraphAsync($"{_pageId}/photos", new() { ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["message"] = "pic", ["access_token"] = pageToken });
        Assert.NotNull(photo["post_id"]);

        var userTokenRefused = await sandbox.PostGraphAsync($"{_pageId}/feed", new() { ["message"] = "x", ["access_token"] = _userToken });
        Assert.Equal(200, userTokenRefused["error"]!["code"]!.GetValue<int>());

        var file = FlowHelpers.FakeMp4(5000);
        var session = await sandbox.PostGraphAsync($"1234567890/uploads?file_name=a.mp4&file_length={file.Length}&file_type=video/mp4&access_token={_userToken}", []);
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"graph/v24.0/{session["id"]}") { Content = new ByteArrayContent(file) };
        upload.Headers.Authorization = new AuthenticationHeaderValue("OAuth", _userToken);
        upload.Headers.Add("file_offset", "0");
        var handle = JsonNode.Parse(await (await sandbox.Http.SendAsync(upload)).Content.ReadAsStringAsync())!["h"]!.GetValue<string>();
        var video = await sandbox.PostGraphAsync($"{_pageId}/videos", new() { ["fbuploader_video_file_chunk"] = handle, ["title"] = "T", ["access_token"] = pageToken });
        var videoId = video["id"]!.GetValue<string>();

        var start = await sandbox.PostGraphAsync($"{_pageId}/video_reels", new() { ["upload_phase"] = "start", ["access_token"] = pageToken });
        Assert.Equal(HttpStatusCode.OK, (await FlowHelpers.RuploadAsync(sandbox, start["upload_url"]!.GetValue<string>(), pageToken, file, 0, file.Length)).StatusCode);
        var finish = await sandbox.PostGraphAsync($"{_pageId}/video_reels", new()
        {
            ["upload_phase"] = "finish", ["video_id"] = start["video_id"]!.GetValue<string>(), ["video_state"] = "PUBLISHED", ["description"] = "reel", ["access_token"] = pageToken,
        });
        Assert.True(finish["success"]!.GetValue<bool>());

        var processing = await sandbox.GetJsonAsync($"graph/v24.0/{videoId}?fields=status,permalink_url,published&access_token={pageToken}");
        Assert.Equal("processing", processing["status"]!["video_status"]!.GetValue<string>());
        Assert.Equal(5000, processing["status"]!["uploading_phase"]!["bytes_transferred"]!.GetValue<long>());
        await sandbox.AdvanceClockAsync(31);
        var ready = await sandbox.GetJsonAsync($"graph/v24.0/{videoId}?fields=status,published&access_token={pageToken}");
        Assert.Equal("ready", ready["status"]!["video_status"]!.GetValue<string>());
        Assert.Equal("complete", ready["status"]!["processing_phase"]!["status"]!.GetValue<string>());

        var published = await sandbox.PublishedAsync(_pageId);
        Assert.Equal(["photo", "video", "reel"], published.Select(p => p!["type"]!.GetValue<string>()).ToArray());
        Assert.All(published.Skip(1), p => Assert.Equal(FlowHelpers.Sha256(file), p!["sha256"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Scripted_rate_limits_and_transient_errors_hit_only_the_next_n_matching_calls_with_usage_headers()
    {
        await sandbox.FaultAsync(new { kind = "rate_limit", platform = "meta", code = 80001, count = 1, path_prefix = $"/graph/v24.0/{_pageId}" });
        var limited = await sandbox.Http.GetAsync($"graph/v24.0/{_pageId}?access_token={_userToken}");
        Assert.Equal(80001, JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<int>());
        Assert.Contains("estimated_time_to_regain_access", limited.Headers.GetValues("X-Business-Use-Case-Usage").Single());

        // A user token on a Page is platform-limited (X-App-Usage); a Page token is counted on the Page (§17.1).
        var fine = await sandbox.Http.GetAsync($"graph/v24.0/{_pageId}?access_token={_userToken}");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Contains("call_count", fine.Headers.GetValues("X-App-Usage").Single());
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, _userToken, _pageId);
        var onPage = await sandbox.Http.GetAsync($"graph/v24.0/{_pageId}?access_token={pageToken}");
        Assert.Contains(_pageId, onPage.Headers.GetValues("X-Business-Use-Case-Usage").Single());

        await sandbox.FaultAsync(new { kind = "transient", platform = "meta", count = 2 });
        var first = JsonNode.Parse(await (await sandbox.Http.GetAsync($"graph/me?access_token={_userToken}")).Content.ReadAsStringAsync())!["error"]!;
        Assert.True(first["is_transient"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.InternalServerError, (await sandbox.Http.GetAsync($"graph/me?access_token={_userToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/me?access_token={_userToken}")).StatusCode);

        await sandbox.PostControlAsync("_sandbox/usage", new { app = new { call_count = 100 } });
        var throttled = JsonNode.Parse(await (await sandbox.Http.GetAsync($"graph/me?access_token={_userToken}")).Content.ReadAsStringAsync())!;
        Assert.Equal(4, throttled["error"]!["code"]!.GetValue<int>());

        await sandbox.FaultAsync(new { kind = "rate_limit", platform = "youtube", reason = "userRateLimitExceeded" });
        var google = await sandbox.Http.GetAsync("youtube/youtube/v3/channels?part=id&mine=true");
        Assert.Equal(HttpStatusCode.Forbidden, google.StatusCode);
        Assert.Contains("userRateLimitExceeded", await google.Content.ReadAsStringAsync());
    }
}
