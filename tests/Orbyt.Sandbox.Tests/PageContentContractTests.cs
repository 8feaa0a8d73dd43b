using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Facebook Page content beyond one photo or video: text and link posts, multi-photo posts (reference §12.1, §12.2).</summary>
[Collection(SandboxCollection.Name)]
public sealed class PageContentContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private string _token = "";
    private string _pageId = "";
    private string _pageToken = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        (_token, _pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        _pageToken = await FlowHelpers.PageTokenAsync(sandbox, _token, _pageId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<JsonNode> FeedAsync(Dictionary<string, string> form, string? pageId = null, string? token = null)
    {
        form["access_token"] = token ?? _pageToken;
        return sandbox.PostGraphAsync($"{pageId ?? _pageId}/feed", form);
    }

    private async Task<string> UnpublishedPhotoAsync(string? altText = null, string? pageId = null, string? token = null)
    {
        var form = new Dictionary<string, string>
        {
            ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["published"] = "false", ["access_token"] = token ?? _pageToken,
        };
        if (altText is not null) form["alt_text_custom"] = altText;
        var photo = await sandbox.PostGraphAsync($"{pageId ?? _pageId}/photos", form);
        // §12.2: an unpublished photo answers its id and no post_id.
        Assert.Null(photo["post_id"]);
        return photo["id"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException(photo.ToJsonString());
    }

    [Fact]
    public async Task A_text_post_and_a_link_post_are_feed_posts_and_the_feed_lists_them_by_message()
    {
        // §12.1: message and/or link; fields=permalink_url echoed; neither → (#100).
        Assert.Equal(100, FlowHelpers.GraphError(await FeedAsync(new())).Code);
        Assert.Equal((100, 2061006), FlowHelpers.GraphError(await FeedAsync(new() { ["link"] = "not a url" })));
        var text = await FeedAsync(new() { ["message"] = "Hello Page", ["fields"] = "id,permalink_url" });
        await sandbox.AdvanceClockAsync(1);
        var link = await FeedAsync(new() { ["message"] = "Read this", ["link"] = "https://example.com/article" });

        var textId = text["id"]!.GetValue<string>();
        Assert.StartsWith(_pageId + "_", textId);
        Assert.Equal($"https://www.facebook.com/{textId}", text["permalink_url"]!.GetValue<string>());
        Assert.Null(link["permalink_url"]);
        var published = await sandbox.PublishedAsync(_pageId);
        Assert.Equal([("feed", "Hello Page", null), ("feed", "Read this", "https://example.com/article")],
            published.Select(p => (p!["type"]!.GetValue<string>(), p["caption"]?.GetValue<string>(), p["link"]?.GetValue<string>())).ToArray());

        // GET /{page-id}/feed with the Page token: newest first, message and created_time.
        var feed = await sandbox.GetJsonAsync($"graph/v24.0/{_pageId}/feed?fields=id,message,created_time&access_token={_pageToken}");
        Assert.Equal([link["id"]!.GetValue<string>(), textId], feed["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray());
        Assert.Equal("Read this", feed["data"]![0]!["message"]!.GetValue<string>());
        // A user token cannot read the Page's feed as the Page.
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph/v24.0/{_pageId}/feed?access_token={_token}")).Code);
    }

    [Fact]
    public async Task A_multi_photo_post_attaches_unpublished_photos_of_the_page_each_only_once()
    {
        var front = await UnpublishedPhotoAsync("The front");
        var back = await UnpublishedPhotoAsync();
        Assert.Empty(await sandbox.PublishedAsync(_pageId));

        // §12.2: attached_media as a JSON array (postiz) or as form fields attached_media[n] (openpost).
        var post = await sandbox.PostGraphContentAsync($"{_pageId}/feed", JsonContent.Create(new
        {
            message = "Two sides", attached_media = new[] { new { media_fbid = front }, new { media_fbid = back } }, access_token = _pageToken,
        }));

        var published = Assert.Single(await sandbox.PublishedAsync(_pageId))!;
        Assert.Equal((post["id"]!.GetValue<string>(), "feed", "Two sides"),
            (published["id"]!.GetValue<string>(), published["type"]!.GetValue<string>(), published["caption"]!.GetValue<string>()));
        var children = published["children"]!.AsArray();
        Assert.Equal([front, back], children.Select(c => c!["id"]!.GetValue<string>()).ToArray());
        var imageHash = FlowHelpers.Sha256(await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg"));
        Assert.All(children, c => Assert.Equal(("photo", imageHash), (c!["type"]!.GetValue<string>(), c["sha256"]!.GetValue<string>())));
        Assert.Equal("The front", children[0]!["alt_text"]!.GetValue<string>());

        // A photo already posted: subcode 1366051, and nothing is posted.
        var fresh = await UnpublishedPhotoAsync();
        Assert.Equal((100, 1366051), FlowHelpers.GraphError(await FeedAsync(new()
        {
            ["message"] = "Again", ["attached_media[0]"] = $$"""{"media_fbid":"{{fresh}}"}""", ["attached_media[1]"] = $$"""{"media_fbid":"{{front}}"}""",
        })));
        Assert.Single(await sandbox.PublishedAsync(_pageId));
        // The refused post did not use up the fresh photo.
        Assert.NotNull((await FeedAsync(new() { ["attached_media[0]"] = $$"""{"media_fbid":"{{fresh}}"}""" }))["id"]);
    }

    [Fact]
    public async Task Only_unpublished_photos_of_the_same_page_can_be_attached()
    {
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 1 });
        var (otherToken, otherPage, _) = await FlowHelpers.MetaAccountAsync(sandbox, identity);
        var otherPageToken = await FlowHelpers.PageTokenAsync(sandbox, otherToken, otherPage);
        var foreign = await UnpublishedPhotoAsync(pageId: otherPage, token: otherPageToken);
        var publishedPhoto = (await sandbox.PostGraphAsync($"{_pageId}/photos", new()
        {
            ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["message"] = "Alone", ["access_token"] = _pageToken,
        }))["id"]!.GetValue<string>();

        Assert.Equal(100, FlowHelpers.GraphError(await FeedAsync(new() { ["attached_media[0]"] = $$"""{"media_fbid":"{{foreign}}"}""" })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await FeedAsync(new() { ["attached_media[0]"] = $$"""{"media_fbid":"{{publishedPhoto}}"}""" })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await FeedAsync(new() { ["attached_media[0]"] = "photo-1" })).Code);
        Assert.Single(await sandbox.PublishedAsync(_pageId));
    }
}

/// <summary>Facebook Page reels and stories (reference §2.4, §12.4, §12.5).</summary>
[Collection(SandboxCollection.Name)]
public sealed class PageReelAndStoryContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private string _pageId = "";
    private string _pageToken = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        var (token, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        (_pageId, _pageToken) = (pageId, await FlowHelpers.PageTokenAsync(sandbox, token, pageId));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<JsonNode> AssetAsync(double seconds = 20, int width = 1080, int height = 1920) =>
        sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 64 * 1024, duration_seconds = seconds, width, height });

    /// <summary>start → rupload with file_url → finish; the finish's answer.</summary>
    private async Task<(string VideoId, JsonNode Finish)> PublishAsync(string edge, JsonNode asset, Dictionary<string, string>? finish = null)
    {
        var start = await sandbox.PostGraphAsync($"{_pageId}/{edge}", new() { ["upload_phase"] = "start", ["access_token"] = _pageToken });
        var videoId = start["video_id"]!.GetValue<string>();
        var upload = new HttpRequestMessage(HttpMethod.Post, start["upload_url"]!.GetValue<string>());
        upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", _pageToken);
        upload.Headers.Add("file_url", asset["url"]!.GetValue<string>());
        using var uploaded = await sandbox.Http.SendAsync(upload);
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var form = finish ?? [];
        form["upload_phase"] = "finish";
        form["video_id"] = videoId;
        form["access_token"] = _pageToken;
        return (videoId, await sandbox.PostGraphAsync($"{_pageId}/{edge}", form));
    }

    [Fact]
    public async Task A_reel_is_published_by_its_finish_within_3_to_90_seconds_and_16_9_to_9_16()
    {
        var asset = await AssetAsync();
        var (videoId, finish) = await PublishAsync("video_reels", asset, new() { ["video_state"] = "PUBLISHED", ["description"] = "A reel" });

        Assert.True(finish["success"]!.GetValue<bool>(), finish.ToJsonString());
        var reel = Assert.Single(await sandbox.PublishedAsync(_pageId))!;
        Assert.Equal((videoId, "reel", "A reel", asset["sha256"]!.GetValue<string>()),
            (reel["id"]!.GetValue<string>(), reel["type"]!.GetValue<string>(), reel["caption"]!.GetValue<string>(), reel["sha256"]!.GetValue<string>()));
        var listed = await sandbox.GetJsonAsync($"graph/v24.0/{_pageId}/video_reels?access_token={_pageToken}");
        Assert.Equal(videoId, listed["data"]![0]!["id"]!.GetValue<string>());
        // §2.4 error codes: 1363128 duration outside 3–90 s, 1363040 aspect ratio outside 16x9…9x16.
        Assert.Equal((100, 1363128), FlowHelpers.GraphError((await PublishAsync("video_reels", await AssetAsync(seconds: 91))).Finish));
        Assert.Equal((100, 1363040), FlowHelpers.GraphError((await PublishAsync("video_reels", await AssetAsync(width: 2520, height: 1080))).Finish));
        Assert.Single(await sandbox.PublishedAsync(_pageId));
    }

    [Fact]
    public async Task The_31st_reel_a_page_publishes_in_24_hours_is_refused_and_the_window_moves()
    {
        var asset = await AssetAsync(seconds: 5);
        for (var i = 0; i < 30; i++)
            Assert.True((await PublishAsync("video_reels", asset)).Finish["success"]!.GetValue<bool>());

        // §12.4: 30 API-published reels per Page per moving 24 h, enforced on the publishing finish (error undocumented).
        var (_, refused) = await PublishAsync("video_reels", asset);
        Assert.Equal(100, FlowHelpers.GraphError(refused).Code);
        Assert.Contains("limit", refused["error"]!["message"]!.GetValue<string>());
        // A draft does not count against the cap.
        Assert.True((await PublishAsync("video_reels", asset, new() { ["video_state"] = "DRAFT" })).Finish["success"]!.GetValue<bool>());
        Assert.Equal(30, (await sandbox.PublishedAsync(_pageId)).Count);

        await sandbox.AdvanceClockAsync(24 * 3600 + 1);
        Assert.True((await PublishAsync("video_reels", asset)).Finish["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_reels_list_is_one_page_of_25_by_default_up_to_limit_100_and_since_drops_reels_older_than_the_window()
    {
        // 30 reels published just now (by another tool: the control endpoint), the whole 24 h cap of §12.4.
        (await sandbox.Http.PostAsJsonAsync($"_sandbox/facebook/{_pageId}/reels", new { count = 30 })).EnsureSuccessStatusCode();
        var now = (await sandbox.GetJsonAsync("_sandbox/clock"))["unix"]!.GetValue<long>();
        async Task<int> ListedAsync(string query) =>
            (await sandbox.GetJsonAsync($"graph/v24.0/{_pageId}/video_reels?access_token={_pageToken}{query}"))["data"]!.AsArray().Count;

        // §1.4: an edge answers one page, `limit` controls its size (Graph's default 25): counting the cap needs limit.
        Assert.Equal(25, await ListedAsync(""));
        Assert.Equal(30, await ListedAsync("&limit=100"));
        Assert.Equal(10, await ListedAsync("&limit=10"));
        // §2.4: since (unix seconds) — a day later the same reels are outside a window that starts 24 h ago.
        Assert.Equal(30, await ListedAsync($"&limit=100&since={now - 86_400}"));
        await sandbox.AdvanceClockAsync(24 * 3600 + 1);
        Assert.Equal(0, await ListedAsync($"&limit=100&since={now + 1}"));
        Assert.Equal(30, await ListedAsync("&limit=100"));
    }

    [Fact]
    public async Task A_video_story_of_at_most_60_seconds_and_a_photo_story_of_an_unpublished_photo_answer_their_post_ids()
    {
        var asset = await AssetAsync(seconds: 15);
        var (videoId, finish) = await PublishAsync("video_stories", asset);
        // §12.5: the video story's finish answers {success, post_id}; more than 60 s is refused.
        var videoPost = finish["post_id"]!.GetValue<string>();
        Assert.Equal((100, 1363128), FlowHelpers.GraphError((await PublishAsync("video_stories", await AssetAsync(seconds: 61))).Finish));

        var photo = (await sandbox.PostGraphAsync($"{_pageId}/photos", new()
        {
            ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["published"] = "false", ["access_token"] = _pageToken,
        }))["id"]!.GetValue<string>();
        var photoStory = await sandbox.PostGraphAsync($"{_pageId}/photo_stories", new() { ["photo_id"] = photo, ["access_token"] = _pageToken });
        var photoPost = photoStory["post_id"]!.GetValue<string>();
        // The media must not have been used before (§12.5): the same photo again is refused.
        Assert.Equal((100, 1366051), FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{_pageId}/photo_stories", new() { ["photo_id"] = photo, ["access_token"] = _pageToken })));

        var published = await sandbox.PublishedAsync(_pageId);
        Assert.Equal([(videoPost, "story", asset["sha256"]!.GetValue<string>()), (photoPost, "story", FlowHelpers.Sha256(await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg")))],
            published.Select(p => (p!["id"]!.GetValue<string>(), p["type"]!.GetValue<string>(), p["sha256"]!.GetValue<string>())).ToArray());
        var stories = await sandbox.GetJsonAsync($"graph/v24.0/{_pageId}/stories?access_token={_pageToken}");
        Assert.Equal([(videoPost, "video", videoId), (photoPost, "photo", photo)],
            stories["data"]!.AsArray().Select(s => (s!["post_id"]!.GetValue<string>(), s["media_type"]!.GetValue<string>(), s["media_id"]!.GetValue<string>()))
                .OrderBy(s => s.Item2 == "photo").ToArray());
    }
}
