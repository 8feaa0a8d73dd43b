using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Instagram carousels and resumable rupload containers with a Facebook Login token.</summary>
[Collection(SandboxCollection.Name)]
public sealed class InstagramContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private string _token = "";
    private string _igId = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        (_token, _, _igId) = await FlowHelpers.MetaAccountAsync(sandbox);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> ContainerAsync(Dictionary<string, string> form)
    {
        form["access_token"] = _token;
        var created = await sandbox.PostGraphAsync($"{_igId}/media", form);
        return created["id"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException(created.ToJsonString());
    }

    private Task<string> ImageItemAsync() =>
        ContainerAsync(new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["is_carousel_item"] = "true" });

    private Task<JsonNode> CarouselAsync(IEnumerable<string> children) => sandbox.PostGraphAsync($"{_igId}/media", new()
    {
        ["media_type"] = "CAROUSEL", ["children"] = string.Join(',', children), ["caption"] = "Three of them", ["access_token"] = _token,
    });

    private Task<JsonNode> PublishAsync(string creationId) =>
        sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = creationId, ["access_token"] = _token });

    private async Task<JsonNode> ContainerStatusAsync(string id) =>
        await sandbox.GetJsonAsync($"graph/v24.0/{id}?fields=status_code,status,video_status&access_token={_token}");

    [Fact]
    public async Task A_carousel_of_two_images_and_a_video_waits_for_its_video_child_then_publishes_once_as_one_post()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 120_000 });
        var children = new[]
        {
            await ImageItemAsync(),
            await ImageItemAsync(),
            await ContainerAsync(new() { ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "VIDEO", ["is_carousel_item"] = "true" }),
        };
        var carousel = (await CarouselAsync(children))["id"]!.GetValue<string>();

        Assert.Equal("IN_PROGRESS", (await ContainerStatusAsync(carousel))["status_code"]!.GetValue<string>());
        Assert.Equal((9007, 2207027), FlowHelpers.GraphError(await PublishAsync(carousel)));
        await sandbox.AdvanceClockAsync(31);
        Assert.Equal("FINISHED", (await ContainerStatusAsync(carousel))["status_code"]!.GetValue<string>());

        var mediaId = (await PublishAsync(carousel))["id"]!.GetValue<string>();
        Assert.Equal((9007, 2207027), FlowHelpers.GraphError(await PublishAsync(carousel)));
        var media = await sandbox.GetJsonAsync($"graph/v24.0/{mediaId}?fields=media_type,permalink,caption&access_token={_token}");
        Assert.Equal("CAROUSEL_ALBUM", media["media_type"]!.GetValue<string>());
        Assert.StartsWith("https://www.instagram.com/p/", media["permalink"]!.GetValue<string>());

        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("carousel", published["type"]!.GetValue<string>());
        Assert.Equal("Three of them", published["caption"]!.GetValue<string>());
        var jpeg = FlowHelpers.Sha256(await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg"));
        Assert.Equal([jpeg, jpeg, asset["sha256"]!.GetValue<string>()], published["children"]!.AsArray().Select(c => c!["sha256"]!.GetValue<string>()).ToArray());

        var limit = await sandbox.GetJsonAsync($"graph/v24.0/{_igId}/content_publishing_limit?fields=quota_usage&access_token={_token}");
        Assert.Equal(1, limit["data"]![0]!["quota_usage"]!.GetValue<int>());
    }

    [Fact]
    public async Task Carousels_refuse_too_few_or_too_many_children_unknown_or_non_item_children_and_reels_as_items()
    {
        var items = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            items.Add(await ImageItemAsync());
        }

        Assert.Equal((100, 2207028), FlowHelpers.GraphError(await CarouselAsync(items.Take(1))));
        Assert.Equal((100, 2207028), FlowHelpers.GraphError(await CarouselAsync(items)));
        var tooMany = (await CarouselAsync(items))["error"]!;
        Assert.Equal("Carousels need at least 2 photos/videos and no more than 10", tooMany["error_user_msg"]!.GetValue<string>());
        Assert.NotNull(tooMany["fbtrace_id"]);

        Assert.Equal((24, 2207008), FlowHelpers.GraphError(await CarouselAsync([items[0], "17890000000000000"])));
        var single = await ContainerAsync(new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg") });
        Assert.Equal((24, 2207008), FlowHelpers.GraphError(await CarouselAsync([items[0], single])));

        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 10_000 });
        var reelItem = await sandbox.PostGraphAsync($"{_igId}/media", new()
        {
            ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "REELS", ["is_carousel_item"] = "true", ["access_token"] = _token,
        });
        Assert.Equal((100, 2207023), FlowHelpers.GraphError(reelItem));

        Assert.Equal((24, 2207008), FlowHelpers.GraphError(await PublishAsync(items[0])));
        Assert.Empty(await sandbox.PublishedAsync(_igId));
    }

    [Fact]
    public async Task A_carousel_whose_child_failed_processing_is_ERROR_with_the_childs_subcode()
    {
        var good = await ImageItemAsync();
        await sandbox.FaultAsync(new { kind = "processing_failure", platform = "instagram", subcode = 2207026 });
        var failed = await ImageItemAsync();
        var carousel = (await CarouselAsync([good, failed]))["id"]!.GetValue<string>();

        var status = await ContainerStatusAsync(carousel);
        Assert.Equal("ERROR", status["status_code"]!.GetValue<string>());
        Assert.Contains("2207026", status["status"]!.GetValue<string>());
        Assert.Equal(9007, FlowHelpers.GraphError(await PublishAsync(carousel)).Code);
    }

    [Fact]
    public async Task A_resumable_reel_is_uploaded_to_rupload_in_two_parts_resumed_from_video_status_and_published()
    {
        var created = await sandbox.PostGraphAsync($"{_igId}/media", new()
        {
            ["media_type"] = "REELS", ["upload_type"] = "resumable", ["caption"] = "Pushed", ["access_token"] = _token,
        });
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(sandbox.Url($"rupload/ig-api-upload/v24.0/{id}"), created["uri"]!.GetValue<string>());
        var uri = created["uri"]!.GetValue<string>();

        var file = FlowHelpers.FakeMp4(100_000, seed: 11);
        var first = await FlowHelpers.RuploadAsync(sandbox, uri, _token, file[..40_000], 0, file.Length);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var status = await ContainerStatusAsync(id);
        Assert.Equal("IN_PROGRESS", status["status_code"]!.GetValue<string>());
        Assert.Equal(40_000, status["video_status"]!["uploading_phase"]!["bytes_transferred"]!.GetValue<long>());

        var wrongOffset = await FlowHelpers.RuploadAsync(sandbox, uri, _token, file[10_000..], 10_000, file.Length);
        Assert.Equal(HttpStatusCode.BadRequest, wrongOffset.StatusCode);
        Assert.Equal("OffsetInvalidError", JsonNode.Parse(await wrongOffset.Content.ReadAsStringAsync())!["debug_info"]!["type"]!.GetValue<string>());

        var rest = await FlowHelpers.RuploadAsync(sandbox, uri, _token, file[40_000..], 40_000, file.Length);
        Assert.True(JsonNode.Parse(await rest.Content.ReadAsStringAsync())!["success"]!.GetValue<bool>());
        Assert.Equal((9007, 2207027), FlowHelpers.GraphError(await PublishAsync(id)));
        await sandbox.AdvanceClockAsync(31);
        Assert.Equal("FINISHED", (await ContainerStatusAsync(id))["status_code"]!.GetValue<string>());
        Assert.NotNull((await PublishAsync(id))["id"]);

        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("reels", published["type"]!.GetValue<string>());
        Assert.Equal(FlowHelpers.Sha256(file), published["sha256"]!.GetValue<string>());
        Assert.Equal(file.Length, published["byte_length"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_cut_rupload_connection_keeps_the_bytes_read_and_the_upload_resumes_from_that_offset()
    {
        var created = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["media_type"] = "REELS", ["upload_type"] = "resumable", ["access_token"] = _token });
        var id = created["id"]!.GetValue<string>();
        var file = FlowHelpers.FakeMp4(300_000, seed: 5);
        await sandbox.FaultAsync(new { kind = "cut_connection", platform = "meta", path_prefix = "/rupload/", after_bytes = 65_536 });

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => FlowHelpers.RuploadAsync(sandbox, created["uri"]!.GetValue<string>(), _token, file, 0, file.Length));
        var committed = (await ContainerStatusAsync(id))["video_status"]!["uploading_phase"]!["bytes_transferred"]!.GetValue<long>();
        Assert.Equal(65_536, committed);

        var resumed = await FlowHelpers.RuploadAsync(sandbox, created["uri"]!.GetValue<string>(), _token, file[(int)committed..], committed, file.Length);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        await sandbox.AdvanceClockAsync(31);
        Assert.NotNull((await PublishAsync(id))["id"]);
        Assert.Equal(FlowHelpers.Sha256(file), Assert.Single(await sandbox.PublishedAsync(_igId))!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rupload_with_a_file_url_header_makes_meta_pull_the_url_and_publishes_its_bytes()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 250_000 });
        var created = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["media_type"] = "REELS", ["upload_type"] = "resumable", ["access_token"] = _token });
        using var request = new HttpRequestMessage(HttpMethod.Post, created["uri"]!.GetValue<string>());
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", _token);
        request.Headers.Add("file_url", asset["url"]!.GetValue<string>());
        var pulled = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);

        await sandbox.AdvanceClockAsync(31);
        Assert.NotNull((await PublishAsync(created["id"]!.GetValue<string>()))["id"]);
        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal(asset["sha256"]!.GetValue<string>(), published["sha256"]!.GetValue<string>());
        Assert.Equal(250_000, published["byte_length"]!.GetValue<long>());
    }

    [Fact]
    public async Task Rupload_refuses_a_missing_OAuth_header_and_a_token_of_someone_who_cannot_publish_to_the_account()
    {
        var created = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["media_type"] = "REELS", ["upload_type"] = "resumable", ["access_token"] = _token });
        var uri = created["uri"]!.GetValue<string>();
        var file = FlowHelpers.FakeMp4(1000);

        using (var bearer = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(file) })
        {
            bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
            bearer.Headers.Add("offset", "0");
            bearer.Headers.Add("file_size", "1000");
            var refused = await sandbox.Http.SendAsync(bearer);
            Assert.Equal(104, FlowHelpers.GraphError(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!).Code);
        }

        var stranger = await sandbox.PostControlAsync("_sandbox/identities", new { name = "Stranger", google = false });
        var (strangerToken, _, _) = await FlowHelpers.MetaAccountAsync(sandbox, stranger);
        var foreign = await FlowHelpers.RuploadAsync(sandbox, uri, strangerToken, file, 0, file.Length);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(100, FlowHelpers.GraphError(JsonNode.Parse(await foreign.Content.ReadAsStringAsync())!).Code);
        Assert.Equal(0, (await ContainerStatusAsync(created["id"]!.GetValue<string>()))["video_status"]!["uploading_phase"]!["bytes_transferred"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_carousels_video_child_can_be_a_resumable_container_whose_bytes_go_by_rupload_resumed_from_its_offset()
    {
        // §13.7: media_type=VIDEO&is_carousel_item=true&upload_type=resumable → {id, uri}; §13.2: the parent waits for it.
        var image = await ImageItemAsync();
        var created = await sandbox.PostGraphAsync($"{_igId}/media", new()
        {
            ["media_type"] = "VIDEO", ["is_carousel_item"] = "true", ["upload_type"] = "resumable", ["access_token"] = _token,
        });
        var child = created["id"]!.GetValue<string>();
        var uri = created["uri"]!.GetValue<string>();
        Assert.Equal(sandbox.Url($"rupload/ig-api-upload/v24.0/{child}"), uri);

        var file = FlowHelpers.FakeMp4(150_000, seed: 17);
        Assert.Equal(HttpStatusCode.OK, (await FlowHelpers.RuploadAsync(sandbox, uri, _token, file[..60_000], 0, file.Length)).StatusCode);
        var status = await ContainerStatusAsync(child);
        Assert.Equal("IN_PROGRESS", status["status_code"]!.GetValue<string>());
        Assert.Equal(60_000, status["video_status"]!["uploading_phase"]!["bytes_transferred"]!.GetValue<long>());

        // A child still receiving its bytes holds the parent back.
        var carousel = (await CarouselAsync([image, child]))["id"]!.GetValue<string>();
        await sandbox.AdvanceClockAsync(31);
        Assert.Equal("IN_PROGRESS", (await ContainerStatusAsync(carousel))["status_code"]!.GetValue<string>());
        Assert.Equal((9007, 2207027), FlowHelpers.GraphError(await PublishAsync(carousel)));

        var rest = await FlowHelpers.RuploadAsync(sandbox, uri, _token, file[60_000..], 60_000, file.Length);
        Assert.True(JsonNode.Parse(await rest.Content.ReadAsStringAsync())!["success"]!.GetValue<bool>());
        await sandbox.AdvanceClockAsync(31);
        Assert.Equal("FINISHED", (await ContainerStatusAsync(carousel))["status_code"]!.GetValue<string>());
        Assert.NotNull((await PublishAsync(carousel))["id"]);

        var published = Assert.Single(await sandbox.PublishedAsync(_igId))!;
        Assert.Equal("carousel", published["type"]!.GetValue<string>());
        var video = published["children"]![1]!;
        Assert.Equal(("video", FlowHelpers.Sha256(file), (long)file.Length),
            (video["type"]!.GetValue<string>(), video["sha256"]!.GetValue<string>(), video["byte_length"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Upload_type_resumable_is_refused_on_an_image_child_a_reel_item_a_lone_video_with_a_video_url_or_in_uppercase()
    {
        // §13.1/§13.7: upload_type=resumable is for a video child (VIDEO + is_carousel_item), a Reel or a video story only.
        Task<JsonNode> Create(Dictionary<string, string> form)
        {
            form["access_token"] = _token;
            return sandbox.PostGraphAsync($"{_igId}/media", form);
        }

        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 10_000 });
        var image = sandbox.Url("_sandbox/media/image.jpg");
        Assert.Equal(100, FlowHelpers.GraphError(await Create(new() { ["image_url"] = image, ["is_carousel_item"] = "true", ["upload_type"] = "resumable" })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await Create(new() { ["is_carousel_item"] = "true", ["upload_type"] = "resumable" })).Code);
        Assert.Equal((100, 2207023), FlowHelpers.GraphError(await Create(new() { ["media_type"] = "REELS", ["is_carousel_item"] = "true", ["upload_type"] = "resumable" })));
        Assert.Equal(100, FlowHelpers.GraphError(await Create(new() { ["media_type"] = "VIDEO", ["upload_type"] = "resumable" })).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await Create(new()
        {
            ["media_type"] = "VIDEO", ["is_carousel_item"] = "true", ["upload_type"] = "resumable", ["video_url"] = asset["url"]!.GetValue<string>(),
        })).Code);
        // Lowercase only (§13.7).
        Assert.Equal(100, FlowHelpers.GraphError(await Create(new() { ["media_type"] = "VIDEO", ["is_carousel_item"] = "true", ["upload_type"] = "RESUMABLE" })).Code);
    }
}
