using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Alt text and stories as the platforms take them (reference §12.7, §13.1, §13.3, §13.5).</summary>
[Collection(SandboxCollection.Name)]
public sealed class ContentFormatContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private string _token = "";
    private string _pageId = "";
    private string _pageToken = "";
    private string _igId = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        (_token, _pageId, _igId) = await FlowHelpers.MetaAccountAsync(sandbox);
        _pageToken = await FlowHelpers.PageTokenAsync(sandbox, _token, _pageId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<JsonNode> ContainerAsync(Dictionary<string, string> form) => FlowHelpers.InstagramContainerAsync(sandbox, _igId, _token, form);

    private Task<JsonNode> PublishAsync(JsonNode container) => FlowHelpers.InstagramPublishAsync(sandbox, _igId, _token, container);

    [Fact]
    public async Task Instagram_alt_text_is_kept_on_a_feed_image_and_refused_on_a_story_a_reel_and_beyond_1000_characters()
    {
        var image = sandbox.Url("_sandbox/media/image.jpg");
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 120_000 });

        // §13.5: images only, ≤ 1000 characters; §13.1: not on reels or stories.
        Assert.Equal(100, FlowHelpers.GraphError(await ContainerAsync(new() { ["image_url"] = image, ["media_type"] = "STORIES", ["alt_text"] = "A mug" })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await ContainerAsync(new()
        {
            ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "REELS", ["alt_text"] = "A mug",
        })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await ContainerAsync(new() { ["image_url"] = image, ["alt_text"] = new string('a', 1001) })).Code);

        var media = await PublishAsync(await ContainerAsync(new() { ["image_url"] = image, ["alt_text"] = "A red mug on a desk", ["caption"] = "Mug" }));

        Assert.NotNull(media["id"]);
        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("A red mug on a desk", published["alt_text"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_instagram_video_story_is_published_as_a_story_that_reports_media_type_video()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 120_000 });
        var container = await ContainerAsync(new() { ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "STORIES" });
        await sandbox.AdvanceClockAsync(31);

        var mediaId = (await PublishAsync(container))["id"]!.GetValue<string>();

        // §13.3: the published story reports IMAGE or VIDEO; media_product_type STORY tells it apart.
        var media = await sandbox.GetJsonAsync($"graph/v24.0/{mediaId}?fields=media_type,media_product_type&access_token={_token}");
        Assert.Equal("VIDEO", media["media_type"]!.GetValue<string>());
        Assert.Equal("STORY", media["media_product_type"]!.GetValue<string>());
        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("stories", published["type"]!.GetValue<string>());
        Assert.Equal(asset["sha256"]!.GetValue<string>(), published["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_facebook_photo_keeps_its_alt_text_custom()
    {
        var photo = await sandbox.PostGraphAsync($"{_pageId}/photos", new()
        {
            ["url"] = sandbox.Url("_sandbox/media/image.jpg"), ["message"] = "Mug", ["alt_text_custom"] = "A red mug", ["access_token"] = _pageToken,
        });

        Assert.NotNull(photo["post_id"]);
        // §12.7: alt_text_custom on POST /{page-id}/photos.
        var published = Assert.Single(await sandbox.PublishedAsync(_pageId))!;
        Assert.Equal("A red mug", published["alt_text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_carousel_child_takes_alt_text_but_no_caption_and_the_published_children_keep_their_alt_text()
    {
        var image = sandbox.Url("_sandbox/media/image.jpg");

        // §13.1: caption is not supported on a carousel child; alt_text is, on image children.
        Assert.Equal(100, FlowHelpers.GraphError(await ContainerAsync(new() { ["image_url"] = image, ["is_carousel_item"] = "true", ["caption"] = "No" })).Code);
        var first = (await ContainerAsync(new() { ["image_url"] = image, ["is_carousel_item"] = "true", ["alt_text"] = "Front" }))["id"]!.GetValue<string>();
        var second = (await ContainerAsync(new() { ["image_url"] = image, ["is_carousel_item"] = "true" }))["id"]!.GetValue<string>();
        var parent = await ContainerAsync(new() { ["media_type"] = "CAROUSEL", ["children"] = $"{first},{second}", ["caption"] = "Two" });
        await sandbox.AdvanceClockAsync(31);

        Assert.NotNull((await PublishAsync(parent))["id"]);
        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("Front", published["children"]![0]!["alt_text"]!.GetValue<string>());
        Assert.Null(published["children"]![1]!["alt_text"]);
    }
}
