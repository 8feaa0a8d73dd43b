using System.Net.Http.Json;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Issue 17, Facebook content types end to end — text and link posts, multi-photo posts (reference §12.1, §12.2) —
/// checked against what the sandbox received.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class FacebookContentTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private Scenario _scenario = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "fbcontent");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);
    }

    public async Task DisposeAsync()
    {
        // A fault a failing test did not use up must not reach the next test.
        (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        _scenario.Dispose();
    }

    private Task<JsonElement> PublishAndWaitAsync(object body) => _scenario.PublishAndWaitAsync(body, Poll);

    private async Task<Dictionary<string, int>> CallCountsAsync() =>
        (await _sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private async Task<string> Sha256Async(string url) => Convert.ToHexStringLower(SHA256.HashData(await fixture.Sandbox.GetByteArrayAsync(url)));

    [Fact]
    public async Task A_text_post_and_a_link_post_go_to_the_pages_feed_without_media()
    {
        await _scenario.NewIdentityAsync(new { pages = 2 });
        var pages = await _scenario.ConnectAsync("facebook");
        var (first, second) = (pages[0], pages[1]);

        // No media: one Page gets the text alone, the other the text and its own link.
        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new object[]
            {
                new { connection_id = first },
                new { connection_id = second, facebook = new { link = "https://example.com/launch?utm_source=orbyt" } },
            },
            caption = $"We launched today {_userId}",
        });

        Assert.Equal(JsonValueKind.Null, publication.GetProperty("media").ValueKind);
        var jobs = publication.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("connection_id").GetString()!);
        foreach (var (connection, link) in new[] { (first, (string?)null), (second, "https://example.com/launch?utm_source=orbyt") })
        {
            var job = jobs[connection];
            var accountId = await AccountIdAsync(connection);
            var post = Assert.Single(await _sandbox.PublishedAsync(accountId));
            Assert.Equal(("feed", $"We launched today {_userId}", link, 0L),
                (post.GetProperty("type").GetString(), post.GetProperty("caption").GetString(), post.TryGetProperty("link", out var l) ? l.GetString() : null,
                    post.GetProperty("byte_length").GetInt64()));
            Assert.Equal(post.GetProperty("id").GetString(), job.GetProperty("result").GetProperty("platform_post_id").GetString());
            Assert.Equal($"https://www.facebook.com/{post.GetProperty("id").GetString()}", job.GetProperty("result").GetProperty("permalink").GetString());
        }
    }

    private async Task<string> AccountIdAsync(string connectionId) =>
        (await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_userId}")).GetProperty("account").GetProperty("id").GetString()!;

    [Theory]
    [InlineData("instagram", null, "media_required")]
    [InlineData("youtube", null, "media_required")]
    [InlineData("facebook", "ftp://example.com/file", "link_invalid")]
    [InlineData("facebook", "example.com/no-scheme", "link_invalid")]
    public async Task A_post_without_media_to_instagram_or_youtube_or_with_a_bad_link_is_refused_before_anything_is_queued(string platform, string? link, string code)
    {
        await _scenario.NewIdentityAsync();
        var target = await _scenario.ConnectAccountAsync(platform);

        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = target.ConnectionId } }, caption = "Text only", title = "A title",
            facebook = new { link },
        });

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(target.ConnectionId, problem.GetProperty("detail").GetString());
        var jobs = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Several_photos_are_one_facebook_post_of_unpublished_photos_with_their_alt_text_one_pushed_when_meta_cannot_fetch_it()
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        var imageUrl = _sandbox.Url("_sandbox/media/image.jpg");
        var pngUrl = _sandbox.Url("_sandbox/media/image.png");
        var asset = await _sandbox.MuxAssetAsync(new { width = 1280, height = 720 });
        var muxImage = asset.GetProperty("image_url").GetString()!;
        // Meta's crawler cannot read the Mux thumbnail (three hand-overs fail): that photo's bytes are pushed as `source`.
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new[] { new { connection_id = page.ConnectionId } },
            media = new object[]
            {
                new { type = "image", url = imageUrl, alt_text = "The mug from the front" },
                new { type = "image", url = muxImage },
                new { type = "image", url = pngUrl, alt_text = "The mug from above" },
            },
            caption = $"Three views {_userId}",
        });

        var result = publication.GetProperty("jobs")[0].GetProperty("result");
        var post = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal(("feed", $"Three views {_userId}", post.GetProperty("id").GetString()),
            (post.GetProperty("type").GetString(), post.GetProperty("caption").GetString(), result.GetProperty("platform_post_id").GetString()));
        var children = post.GetProperty("children").EnumerateArray().ToArray();
        Assert.Equal(
            [("photo", await Sha256Async(imageUrl), "The mug from the front"), ("photo", await Sha256Async(muxImage), null), ("photo", await Sha256Async(pngUrl), "The mug from above")],
            children.Select(c => (c.GetProperty("type").GetString(), c.GetProperty("sha256").GetString(), c.TryGetProperty("alt_text", out var a) ? a.GetString() : null)).ToArray());
        Assert.Equal(children.Select(c => c.GetProperty("id").GetString()), result.GetProperty("children").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("push", publication.GetProperty("jobs")[0].GetProperty("transfer_method").GetString());
        // Three photos by URL, two more hand-overs of the Mux one, one push; one /feed post.
        var calls = await CallCountsAsync();
        Assert.Equal(6, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/photos"));
        Assert.Equal(1, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/feed"));
    }

    [Fact]
    public async Task A_feed_post_whose_answer_was_lost_is_found_on_the_page_and_not_posted_again()
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        var imageUrl = _sandbox.Url("_sandbox/media/image.jpg");
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", path_prefix = $"/graph/v24.0/{page.AccountId}/feed", method = "POST", count = 1 });

        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new[] { new { connection_id = page.ConnectionId } },
            media = new[] { new { type = "image", url = imageUrl }, new { type = "image", url = imageUrl } },
            caption = $"Lost answer {_userId}",
        });

        var post = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        var result = publication.GetProperty("jobs")[0].GetProperty("result");
        Assert.Equal(post.GetProperty("id").GetString(), result.GetProperty("platform_post_id").GetString());
        Assert.Equal(post.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("id").GetString()),
            result.GetProperty("children").EnumerateArray().Select(c => c.GetString()));
        var calls = await CallCountsAsync();
        Assert.Equal(2, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/photos"));
        Assert.Equal(1, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/feed"));
        Assert.True(calls.GetValueOrDefault($"GET /graph/v24.0/{page.AccountId}/feed") >= 1, "the Page's feed was looked up");
    }

    private async Task<(string Url, string Sha256)> VideoAsync(double seconds = 20, int width = 1080, int height = 1920)
    {
        var asset = await _sandbox.MuxAssetAsync(new { size_bytes = 256 * 1024, duration_seconds = seconds, width, height });
        return (asset.GetProperty("url").GetString()!, asset.GetProperty("sha256").GetString()!);
    }

    [Fact]
    public async Task A_reel_goes_through_video_reels_start_upload_and_finish_and_is_followed_until_ready()
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        var (url, sha256) = await VideoAsync();

        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format = "reel" } },
            media = new { type = "video", url }, caption = $"A reel {_userId}",
        });

        var reel = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal(("reel", $"A reel {_userId}", sha256, 256 * 1024L),
            (reel.GetProperty("type").GetString(), reel.GetProperty("caption").GetString(), reel.GetProperty("sha256").GetString(), reel.GetProperty("byte_length").GetInt64()));
        var job = publication.GetProperty("jobs")[0];
        Assert.Equal(reel.GetProperty("id").GetString(), job.GetProperty("result").GetProperty("platform_post_id").GetString());
        Assert.Equal($"https://www.facebook.com/reel/{reel.GetProperty("id").GetString()}/", job.GetProperty("result").GetProperty("permalink").GetString());
        var calls = await CallCountsAsync();
        Assert.Equal(2, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/video_reels")); // start and finish
        Assert.True(calls.GetValueOrDefault($"GET /graph/v24.0/{page.AccountId}/video_reels") >= 2, "the Page's reels were counted before start and finish");
    }

    [Theory]
    [InlineData("reel")]
    [InlineData("story")]
    public async Task A_reel_or_video_story_meta_cannot_fetch_is_handed_over_again_then_its_bytes_are_pushed_into_the_rupload_url(string format)
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        var (url, sha256) = await VideoAsync(seconds: 15);
        // The video's host blocks Meta's crawler: every rupload with file_url fails (ProcessingFailedError), so after the
        // hand-over budget (three fetches) the Uploader pushes the bytes itself (§2.4, §12.5).
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format } },
            media = new { type = "video", url }, caption = $"Pushed {format} {_userId}",
        });

        var job = publication.GetProperty("jobs")[0];
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var published = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal((format, sha256, 256 * 1024L),
            (published.GetProperty("type").GetString(), published.GetProperty("sha256").GetString(), published.GetProperty("byte_length").GetInt64()));
        Assert.Equal(published.GetProperty("id").GetString(), job.GetProperty("result").GetProperty("platform_post_id").GetString());
        // One start and one finish: the hand-overs and the push went into the same video's rupload URL.
        var calls = await CallCountsAsync();
        var edge = format == "reel" ? "video_reels" : "video_stories";
        Assert.Equal(2, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/{edge}"));
    }

    [Theory]
    [InlineData("reel")]
    [InlineData("story")]
    public async Task A_reel_or_video_story_whose_finish_answer_was_lost_is_found_on_the_page_and_not_finished_again(string format)
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        var (url, sha256) = await VideoAsync(seconds: 15);
        var edge = format == "reel" ? "video_reels" : "video_stories";
        // The start and the finish share method and path: skip the start, drop the finish's answer (it is published).
        await _sandbox.AddFaultAsync(new { kind = "drop_response", platform = "meta", method = "POST", path_prefix = $"/graph/v24.0/{page.AccountId}/{edge}", skip = 1, count = 1 });

        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format } },
            media = new { type = "video", url }, caption = $"Lost finish {format} {_userId}",
        });

        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var published = Assert.Single(await _sandbox.PublishedAsync(page.AccountId));
        Assert.Equal((format, sha256), (published.GetProperty("type").GetString(), published.GetProperty("sha256").GetString()));
        Assert.Equal(published.GetProperty("id").GetString(), publication.GetProperty("jobs")[0].GetProperty("result").GetProperty("platform_post_id").GetString());
        var calls = await CallCountsAsync();
        // The start and the one finish whose answer was lost: the next run found the video on the Page instead of finishing again.
        Assert.Equal(2, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/{edge}"));
        var lookup = format == "reel" ? $"GET /graph/v24.0/{page.AccountId}/video_reels" : $"GET /graph/v24.0/{page.AccountId}/stories";
        // A reel's list is read before the start and the finish (the budget), and once more after the lost answer.
        Assert.True(calls.GetValueOrDefault(lookup) >= (format == "reel" ? 3 : 1), $"the Page's {edge} were looked up after the lost answer");
    }

    [Fact]
    public async Task A_reel_to_a_page_that_published_30_reels_today_waits_with_facebook_reel_limit_reached_and_uploads_nothing()
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        using (var seeded = await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/facebook/{page.AccountId}/reels", new { count = 30 }))
            seeded.EnsureSuccessStatusCode();
        var (url, _) = await VideoAsync();

        // A plain video post (the platform's default format) is not a reel: the reel cap does not hold it.
        var jobId = await _scenario.PublishAsync(page.ConnectionId, "video", url, "A plain video");
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format = "reel" } },
            media = new { type = "video", url }, caption = "One too many",
        }, HttpStatusCode.Accepted);
        var reelJob = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;

        var waiting = await _scenario.WaitForJobAsync(reelJob, j => j.GetProperty("stage").GetString() == "waiting_rate_limit");
        Assert.Equal("facebook_reel_limit_reached", waiting.GetProperty("error").GetProperty("code").GetString());
        Assert.True(DateTimeOffset.Parse(waiting.GetProperty("next_attempt_at").GetString()!) > DateTimeOffset.UtcNow.AddHours(23), waiting.ToString());
        var calls = await CallCountsAsync();
        Assert.Equal(0, calls.GetValueOrDefault($"POST /graph/v24.0/{page.AccountId}/video_reels"));
        var video = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: Poll);
        Assert.Equal("published", video.GetProperty("status").GetString());
        await _api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{reelJob}/cancel", new { user_id = _userId });
    }

    [Fact]
    public async Task A_video_story_and_a_photo_story_are_published_as_page_stories_without_a_caption()
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        var (url, sha256) = await VideoAsync(seconds: 15);
        var imageUrl = _sandbox.Url("_sandbox/media/image.jpg");

        var videoStory = await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format = "story" } }, media = new { type = "video", url }, caption = "Not sent",
        });
        var photoStory = await PublishAndWaitAsync(new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format = "story" } }, media = new { type = "image", url = imageUrl },
        });

        var stories = await _sandbox.PublishedAsync(page.AccountId);
        Assert.All(stories, s => Assert.Equal("story", s.GetProperty("type").GetString()));
        Assert.All(stories, s => Assert.False(s.TryGetProperty("caption", out var c) && c.ValueKind == JsonValueKind.String, "a story has no caption field"));
        Assert.Equal(
            [(videoStory.GetProperty("jobs")[0].GetProperty("result").GetProperty("platform_post_id").GetString(), sha256, "video"),
             (photoStory.GetProperty("jobs")[0].GetProperty("result").GetProperty("platform_post_id").GetString(), await Sha256Async(imageUrl), "photo")],
            stories.Select(s => (s.GetProperty("id").GetString(), s.GetProperty("sha256").GetString(), s.GetProperty("children")[0].GetProperty("type").GetString())).ToArray());
    }

    [Theory]
    [InlineData("reel", "image", 20, 1, "format_media_mismatch")]
    [InlineData("story", "image", 20, 2, "media_count_invalid")]
    [InlineData("reel", "video", 120, 1, "media_duration_out_of_range")]
    [InlineData("reel", "video", 20, 1, "media_aspect_ratio_unsupported")]
    [InlineData("story", "video", 75, 1, "media_duration_out_of_range")]
    public async Task A_reel_or_story_that_breaks_its_rules_is_refused_before_anything_is_queued(string format, string type, double seconds, int count, string code)
    {
        await _scenario.NewIdentityAsync();
        var page = await _scenario.ConnectAccountAsync("facebook");
        // The aspect row sends a 21:9 video, wider than the 16:9 a reel allows.
        var (video, _) = await VideoAsync(seconds, code == "media_aspect_ratio_unsupported" ? 2520 : 1080, code == "media_aspect_ratio_unsupported" ? 1080 : 1920);
        var url = type == "image" ? _sandbox.Url("_sandbox/media/image.jpg") : video;

        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = page.ConnectionId, format } },
            media = Enumerable.Repeat(new { type, url }, count).ToArray(), caption = "Rules",
        });

        var problem = await ApiProblem.AssertAsync(response, code.StartsWith("media_d") || code.StartsWith("media_a") ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.BadRequest, code);
        Assert.Contains(page.ConnectionId, problem.GetProperty("detail").GetString());
        var jobs = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
    }
}
