using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// Instagram container options as Meta takes them: the §13.1 parameter matrix (which container kinds take
/// collaborators, location_id, user_tags, thumb_offset), the §13.4 Reels options (share_to_feed, cover_url winning over
/// thumb_offset, thumb_offset outside [0, duration) → 1/2207057) and the §13.8 story video specification.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class InstagramReelsOptionsContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const string Seattle = "110843418940484";
    private string _token = "";
    private string _pageId = "";
    private string _igId = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        (_token, _pageId, _igId) = await FlowHelpers.MetaAccountAsync(sandbox);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<JsonNode> ContainerAsync(Dictionary<string, string> form) => FlowHelpers.InstagramContainerAsync(sandbox, _igId, _token, form);

    private Task<JsonNode> PublishAsync(JsonNode container) => FlowHelpers.InstagramPublishAsync(sandbox, _igId, _token, container);

    private async Task<string> VideoAsync(double seconds = 30, long bytes = 150_000) =>
        (await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = bytes, duration_seconds = seconds, width = 1080, height = 1920 }))["url"]!.GetValue<string>();

    private string Image => sandbox.Url("_sandbox/media/image.jpg");

    private static string Error(JsonNode body) => body["error"]?["message"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"Expected a Graph error, got {body.ToJsonString()}");

    [Fact]
    public async Task A_reel_takes_share_to_feed_a_cover_collaborators_a_location_and_user_tags_and_the_published_reel_shows_them()
    {
        var cover = await sandbox.Http.GetByteArrayAsync(Image);
        // §13.4: cover_url (a JPEG Meta fetches) wins over thumb_offset; both are accepted together.
        var container = await ContainerAsync(new()
        {
            ["video_url"] = await VideoAsync(), ["media_type"] = "REELS", ["caption"] = "Launch", ["share_to_feed"] = "false",
            ["cover_url"] = Image, ["thumb_offset"] = "1500", ["collaborators"] = """["sandbox.alice","sandbox.bob"]""",
            ["location_id"] = Seattle, ["user_tags"] = """[{"username":"sandbox.carol"},{"username":"sandbox.dave","x":0.25,"y":0.75}]""",
        });
        await sandbox.AdvanceClockAsync(31);

        Assert.NotNull((await PublishAsync(container))["id"]);

        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("reels", published["type"]!.GetValue<string>());
        Assert.False(published["share_to_feed"]!.GetValue<bool>());
        Assert.Equal(FlowHelpers.Sha256(cover), published["cover_sha256"]!.GetValue<string>());
        Assert.Equal(cover.Length, published["cover_byte_length"]!.GetValue<long>());
        Assert.Equal(1500, published["thumb_offset"]!.GetValue<long>());
        Assert.Equal(["sandbox.alice", "sandbox.bob"], published["collaborators"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(Seattle, published["location_id"]!.GetValue<string>());
        Assert.Equal("Seattle, Washington", published["location_name"]!.GetValue<string>());
        var tags = published["user_tags"]!.AsArray();
        Assert.Equal("sandbox.carol", tags[0]!["username"]!.GetValue<string>());
        Assert.Null(tags[0]!["x"]);
        Assert.Equal(0.75, tags[1]!["y"]!.GetValue<double>());
    }

    [Fact]
    public async Task Each_option_is_refused_on_a_container_the_parameter_matrix_does_not_give_it()
    {
        var video = await VideoAsync();
        var collaborators = """["sandbox.alice"]""";
        // §13.1: collaborators never on a carousel child or a story; location_id not on a child or a story; user_tags not on
        // a carousel parent; share_to_feed and cover_url on Reels only; thumb_offset on Reels and video children only.
        var refused = new (string Param, Dictionary<string, string> Form)[]
        {
            ("collaborators", new() { ["image_url"] = Image, ["is_carousel_item"] = "true", ["collaborators"] = collaborators }),
            ("collaborators", new() { ["image_url"] = Image, ["media_type"] = "STORIES", ["collaborators"] = collaborators }),
            ("collaborators", new() { ["video_url"] = video, ["media_type"] = "STORIES", ["collaborators"] = collaborators }),
            ("location_id", new() { ["image_url"] = Image, ["media_type"] = "STORIES", ["location_id"] = Seattle }),
            ("location_id", new() { ["video_url"] = video, ["media_type"] = "VIDEO", ["is_carousel_item"] = "true", ["location_id"] = Seattle }),
            ("cover_url", new() { ["image_url"] = Image, ["cover_url"] = Image }),
            ("share_to_feed", new() { ["video_url"] = video, ["media_type"] = "STORIES", ["share_to_feed"] = "true" }),
            ("thumb_offset", new() { ["image_url"] = Image, ["thumb_offset"] = "0" }),
            ("thumb_offset", new() { ["video_url"] = video, ["media_type"] = "STORIES", ["thumb_offset"] = "0" }),
        };
        foreach (var (param, form) in refused)
        {
            var body = await ContainerAsync(form);
            Assert.Equal(100, FlowHelpers.GraphError(body).Code);
            Assert.StartsWith($"(#100) Param {param} is not allowed", Error(body));
        }

        var child1 = await ContainerAsync(new() { ["image_url"] = Image, ["is_carousel_item"] = "true", ["user_tags"] = """[{"username":"sandbox.alice","x":0.5,"y":0.5}]""" });
        var child2 = await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "VIDEO", ["is_carousel_item"] = "true", ["thumb_offset"] = "2000" });
        var children = $"{child1["id"]},{child2["id"]}";
        var parentTags = await ContainerAsync(new() { ["media_type"] = "CAROUSEL", ["children"] = children, ["user_tags"] = """[{"username":"sandbox.bob","x":0.5,"y":0.5}]""" });
        Assert.StartsWith("(#100) Param user_tags is not allowed", Error(parentTags));

        // What the matrix allows: collaborators and a location on the parent, user tags on a child, on a story without x/y.
        var parent = await ContainerAsync(new() { ["media_type"] = "CAROUSEL", ["children"] = children, ["collaborators"] = collaborators, ["location_id"] = Seattle, ["caption"] = "Two" });
        var story = await ContainerAsync(new() { ["image_url"] = Image, ["media_type"] = "STORIES", ["user_tags"] = """[{"username":"sandbox.carol"}]""" });
        await sandbox.AdvanceClockAsync(31);
        Assert.NotNull((await PublishAsync(parent))["id"]);
        Assert.NotNull((await PublishAsync(story))["id"]);

        var published = await sandbox.PublishedAsync(_igId);
        var carousel = published.Single(p => p!["type"]!.GetValue<string>() == "carousel")!;
        Assert.Equal("sandbox.alice", carousel["collaborators"]![0]!.GetValue<string>());
        Assert.Equal(Seattle, carousel["location_id"]!.GetValue<string>());
        Assert.Equal("sandbox.alice", carousel["children"]![0]!["user_tags"]![0]!["username"]!.GetValue<string>());
        Assert.Equal("sandbox.carol", published.Single(p => p!["type"]!.GetValue<string>() == "stories")!["user_tags"]![0]!["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Collaborators_are_at_most_three_public_usernames_and_tags_on_an_image_need_x_and_y_within_0_and_1()
    {
        var video = await VideoAsync();
        var four = await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["collaborators"] = """["sandbox.alice","sandbox.bob","sandbox.carol","sandbox.dave"]""" });
        Assert.Equal(100, FlowHelpers.GraphError(four).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["collaborators"] = "sandbox.alice" })).Code);

        // A leading @, a private profile or an unknown username: 110/2207018 "Cannot load user with a private profile or invalid username".
        foreach (var name in new[] { "@sandbox.alice", "sandbox.private", "nobody.here" })
        {
            Assert.Equal((110, 2207018), FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["collaborators"] = $"[\"{name}\"]" })));
            Assert.Equal((110, 2207018), FlowHelpers.GraphError(await ContainerAsync(new() { ["image_url"] = Image, ["user_tags"] = $"[{{\"username\":\"{name}\",\"x\":0.1,\"y\":0.1}}]" })));
        }

        // §13.1: on an image x and y are required; a coordinate is a fraction of the image.
        Assert.Equal("(#100) Param user_tags[0]['y'] is required.", Error(await ContainerAsync(new() { ["image_url"] = Image, ["user_tags"] = """[{"username":"sandbox.alice","x":0.5}]""" })));
        Assert.Equal("(#100) Param user_tags[1]['x'] must be a number less than or equal to 1",
            Error(await ContainerAsync(new() { ["image_url"] = Image, ["user_tags"] = """[{"username":"sandbox.alice","x":0.5,"y":0.5},{"username":"sandbox.bob","x":540,"y":0.5}]""" })));
        Assert.Equal(100, FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["user_tags"] = """[{"username":"sandbox.alice","x":-0.1}]""" })).Code);
        Assert.NotNull((await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["collaborators"] = """["sandbox.alice","sandbox.bob","sandbox.carol"]""" }))["id"]);
    }

    [Fact]
    public async Task A_location_id_that_is_not_a_page_with_location_data_fails_with_invalid_location_id()
    {
        // §13.1: a Page without location data (here the account's own Page) or no Page at all.
        foreach (var id in new[] { _pageId, "123456789" })
        {
            var body = await ContainerAsync(new() { ["image_url"] = Image, ["location_id"] = id });
            Assert.Equal(100, FlowHelpers.GraphError(body).Code);
            Assert.Contains("INSTAGRAM_PLATFORM_API__INVALID_LOCATION_ID", Error(body));
        }

        Assert.NotNull((await ContainerAsync(new() { ["image_url"] = Image, ["location_id"] = "106078429431815" }))["id"]);
    }

    [Fact]
    public async Task A_cover_is_fetched_as_a_jpeg_of_at_most_8_mb_and_a_thumb_offset_outside_the_video_is_1_2207057()
    {
        var video = await VideoAsync(seconds: 10);
        // §13.4: the cover is fetched like the media: unreachable, not JPEG, or larger than 8 MB as Meta answers for images.
        Assert.Equal((9004, 2207052), FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["cover_url"] = sandbox.Url("_sandbox/media/not-found") })));
        Assert.Equal((36001, 2207005), FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["cover_url"] = video })));

        // §13.4, §4.4: thumb_offset outside [0, duration) — a 10 s video has offsets 0 … 9,999 ms.
        Assert.Equal((1, 2207057), FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["thumb_offset"] = "10000" })));
        Assert.Equal((1, 2207057), FlowHelpers.GraphError(await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["thumb_offset"] = "-1" })));
        Assert.NotNull((await ContainerAsync(new() { ["video_url"] = video, ["media_type"] = "REELS", ["thumb_offset"] = "9999" }))["id"]);

        // A pushed video's duration is known only once its bytes are in: the container then ends in ERROR 2207057.
        var created = await ContainerAsync(new() { ["media_type"] = "REELS", ["upload_type"] = "resumable", ["thumb_offset"] = "12000" });
        using (var pull = new HttpRequestMessage(HttpMethod.Post, created["uri"]!.GetValue<string>()))
        {
            pull.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", _token);
            pull.Headers.Add("file_url", video);
            Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.SendAsync(pull)).StatusCode);
        }

        await sandbox.AdvanceClockAsync(31);
        var status = await sandbox.GetJsonAsync($"graph/v24.0/{created["id"]}?fields=status_code,status&access_token={_token}");
        Assert.Equal("ERROR", status["status_code"]!.GetValue<string>());
        Assert.Contains("2207057", status["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_story_video_longer_than_60_seconds_or_narrower_than_1_to_10_fails_processing_and_one_over_100_mb_is_refused()
    {
        // §13.8: story video 3–60 s, ≤ 100 MB, ratio 0.1:1 – 10:1; Meta accepts the container and fails it (2207026).
        var longStory = await ContainerAsync(new() { ["video_url"] = await VideoAsync(seconds: 61), ["media_type"] = "STORIES" });
        var narrow = await ContainerAsync(new()
        {
            ["video_url"] = (await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 100_000, duration_seconds = 10, width = 100, height = 1200 }))["url"]!.GetValue<string>(),
            ["media_type"] = "STORIES",
        });
        var fine = await ContainerAsync(new() { ["video_url"] = await VideoAsync(seconds: 60), ["media_type"] = "STORIES" });
        // The same 61 s video is a fine Reel (3 s – 15 min).
        var reel = await ContainerAsync(new() { ["video_url"] = await VideoAsync(seconds: 61), ["media_type"] = "REELS" });
        await sandbox.AdvanceClockAsync(31);

        foreach (var (container, expected) in new[] { (longStory, "ERROR"), (narrow, "ERROR"), (fine, "FINISHED"), (reel, "FINISHED") })
        {
            var status = await sandbox.GetJsonAsync($"graph/v24.0/{container["id"]}?fields=status_code,status&access_token={_token}");
            Assert.Equal(expected, status["status_code"]!.GetValue<string>());
            if (expected == "ERROR") Assert.Contains("2207026", status["status"]!.GetValue<string>());
        }

        var large = await ContainerAsync(new() { ["video_url"] = await VideoAsync(seconds: 20, bytes: 101L * 1024 * 1024), ["media_type"] = "STORIES" });
        Assert.Equal((352, 2207026), FlowHelpers.GraphError(large));
    }
}
