using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>Issue 17: per-target text and formats, alt text, media lists — checked against what the sandbox received.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ContentFormatTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private Scenario _scenario = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "content");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);
    }

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(ConnectedAccount Facebook, ConnectedAccount Instagram, ConnectedAccount YouTube)> ConnectAllAsync()
    {
        await _scenario.NewIdentityAsync();
        return (await _scenario.ConnectAccountAsync("facebook"), await _scenario.ConnectAccountAsync("instagram"), await _scenario.ConnectAccountAsync("youtube"));
    }

    private async Task<(string Url, string Sha256)> VideoAsync(int seconds = 30)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 512 * 1024, duration_seconds = seconds, width = 1080, height = 1920 });
        var asset = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (asset.GetProperty("url").GetString()!, asset.GetProperty("sha256").GetString()!);
    }

    private Task<JsonElement> PublishAndWaitAsync(object body) => _scenario.PublishAndWaitAsync(body, Poll);

    [Fact]
    public async Task Each_target_publishes_its_own_text_and_format_and_an_image_keeps_its_alt_text()
    {
        var (facebook, instagram, youtube) = await ConnectAllAsync();
        var imageUrl = _sandbox.Url("_sandbox/media/image.jpg");
        var imageHash = Convert.ToHexStringLower(SHA256.HashData(await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg")));
        var (videoUrl, videoHash) = await VideoAsync();

        // One image, a short Instagram caption and a longer Facebook text, in the new list form with alt text.
        await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new object[]
            {
                new { connection_id = facebook.ConnectionId, caption = "A longer Facebook text about the red mug and where to buy it." },
                new { connection_id = instagram.ConnectionId, caption = "Red mug #mug" },
            },
            media = new[] { new { type = "image", url = imageUrl, alt_text = "A red mug on a wooden desk" } },
            caption = "Shared text",
        });
        // One video: an Instagram story (no caption field), a YouTube title of its own, Facebook with the shared text.
        await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new object[]
            {
                new { connection_id = instagram.ConnectionId, format = "story" },
                new { connection_id = youtube.ConnectionId, title = "The YouTube title", youtube = new { privacy_status = "unlisted" } },
                new { connection_id = facebook.ConnectionId },
            },
            media = new { type = "video", url = videoUrl },
            caption = "Shared video text",
            title = "Shared title",
        });

        var onPage = await _sandbox.PublishedAsync(facebook.AccountId);
        var photo = Assert.Single(onPage, p => p.GetProperty("type").GetString() == "photo");
        Assert.Equal(("A longer Facebook text about the red mug and where to buy it.", "A red mug on a wooden desk", imageHash),
            (photo.GetProperty("caption").GetString(), photo.GetProperty("alt_text").GetString(), photo.GetProperty("sha256").GetString()));
        var pageVideo = Assert.Single(onPage, p => p.GetProperty("sha256").GetString() == videoHash);
        Assert.Equal("Shared video text", pageVideo.GetProperty("caption").GetString());

        var onInstagram = await _sandbox.PublishedAsync(instagram.AccountId);
        var feed = Assert.Single(onInstagram, p => p.GetProperty("type").GetString() == "image");
        Assert.Equal(("Red mug #mug", "A red mug on a wooden desk", imageHash),
            (feed.GetProperty("caption").GetString(), feed.GetProperty("alt_text").GetString(), feed.GetProperty("sha256").GetString()));
        var story = Assert.Single(onInstagram, p => p.GetProperty("type").GetString() == "stories");
        Assert.Equal(videoHash, story.GetProperty("sha256").GetString());
        Assert.False(story.TryGetProperty("caption", out var storyCaption) && storyCaption.ValueKind == JsonValueKind.String, "a story has no caption field");

        var onYouTube = Assert.Single(await _sandbox.PublishedAsync(youtube.AccountId));
        Assert.Equal(("The YouTube title", videoHash), (onYouTube.GetProperty("title").GetString(), onYouTube.GetProperty("sha256").GetString()));
    }

    [Fact]
    public async Task A_carousel_of_images_and_a_video_is_one_instagram_post_with_every_item_and_its_alt_text()
    {
        var (_, instagram, _) = await ConnectAllAsync();
        var imageUrl = _sandbox.Url("_sandbox/media/image.jpg");
        var imageHash = Convert.ToHexStringLower(SHA256.HashData(await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg")));
        var (videoUrl, videoHash) = await VideoAsync();

        var publication = await PublishAndWaitAsync(new
        {
            user_id = _userId,
            targets = new[] { new { connection_id = instagram.ConnectionId } },
            media = new object[]
            {
                new { type = "image", url = imageUrl, alt_text = "The mug from the front" },
                new { type = "video", url = videoUrl },
                new { type = "image", url = imageUrl },
            },
            caption = "Three views #mug",
        });

        var result = publication.GetProperty("jobs")[0].GetProperty("result");
        Assert.Equal(3, result.GetProperty("children").GetArrayLength());
        Assert.StartsWith("https://www.instagram.com/p/", result.GetProperty("permalink").GetString());
        var carousel = Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        Assert.Equal(("carousel", "Three views #mug"), (carousel.GetProperty("type").GetString(), carousel.GetProperty("caption").GetString()));
        var children = carousel.GetProperty("children").EnumerateArray().ToArray();
        Assert.Equal([("image", imageHash), ("video", videoHash), ("image", imageHash)],
            children.Select(c => (c.GetProperty("type").GetString(), c.GetProperty("sha256").GetString())).ToArray());
        Assert.Equal("The mug from the front", children[0].GetProperty("alt_text").GetString());
        Assert.False(children[2].TryGetProperty("alt_text", out var none) && none.ValueKind == JsonValueKind.String);
    }

    [Theory]
    [InlineData("instagram", "reels", "image", null, "format_media_mismatch")]
    [InlineData("instagram", "feed", "video", null, "format_media_mismatch")]
    [InlineData("instagram", "story", "image", "A mug", "alt_text_not_supported")]
    [InlineData("facebook", "reels", "video", null, "format_not_supported")]
    [InlineData("youtube", "story", "video", null, "format_not_supported")]
    [InlineData("facebook", null, "video", "A clip", "alt_text_not_supported")]
    public async Task A_wrong_combination_of_format_and_media_is_refused_before_anything_is_queued(string platform, string? format, string type, string? altText, string code)
    {
        var connections = await ConnectAllAsync();
        var target = platform switch { "youtube" => connections.YouTube, "instagram" => connections.Instagram, _ => connections.Facebook };
        var url = type == "image" ? "https://stream.mux.com/abc/image.jpg" : "https://stream.mux.com/abc/highest.mp4";

        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = target.ConnectionId, format } }, media = new[] { new { type, url, alt_text = altText } }, title = "t",
        });

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(target.ConnectionId, problem.GetProperty("detail").GetString());
        var jobs = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_targets_own_caption_and_title_are_held_to_that_platforms_rules()
    {
        var (_, instagram, youtube) = await ConnectAllAsync();
        var body = (object target) => new
        {
            user_id = _userId, targets = new[] { target }, media = new { type = "video", url = "https://stream.mux.com/abc/highest.mp4" },
            caption = "Fine", title = "Fine",
        };

        using var caption = await _api.SendAsync(HttpMethod.Post, "/v1/publications",
            body(new { connection_id = instagram.ConnectionId, caption = string.Join(' ', Enumerable.Range(0, 31).Select(i => $"#t{i}")) }));
        using var title = await _api.SendAsync(HttpMethod.Post, "/v1/publications", body(new { connection_id = youtube.ConnectionId, title = new string('t', 101) }));

        await ApiProblem.AssertAsync(caption, HttpStatusCode.BadRequest, "caption_invalid");
        await ApiProblem.AssertAsync(title, HttpStatusCode.BadRequest, "title_required");
    }
}
