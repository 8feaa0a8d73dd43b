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
}
