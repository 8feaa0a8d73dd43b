using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Google.Apis.Upload;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// YouTube beyond the upload (reference §15): thumbnails.set as a simple and a resumable upload (§15.2, §6.6), the
/// channel's custom-thumbnail permission, playlistItems.insert and its scope (§15.3), and the declarations and languages
/// of videos.insert (§15.5).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class YouTubeExtrasContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const string ForceSslScope = "https://www.googleapis.com/auth/youtube.force-ssl";

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Token, string ChannelId)> TokenAsync(JsonNode? identity = null, string[]? scopes = null)
    {
        identity ??= await FlowHelpers.DefaultIdentityAsync(sandbox);
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, identity["id"]!.GetValue<string>(), scopes);
        return (tokens["access_token"]!.GetValue<string>(), identity["google"]!["channel"]!["id"]!.GetValue<string>());
    }

    private async Task<JsonNode> UploadAsync(string token, JsonObject? snippet = null, JsonObject? status = null, JsonObject? extra = null)
    {
        snippet ??= [];
        snippet["title"] ??= "Extras";
        var resource = new JsonObject { ["snippet"] = snippet, ["status"] = status ?? new JsonObject { ["privacyStatus"] = "private" } };
        foreach (var (key, value) in extra ?? []) resource[key] = value?.DeepClone();
        using var start = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
        {
            Content = new StringContent(resource.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        start.Headers.Add("X-Upload-Content-Length", "600");
        using var session = await sandbox.Http.SendAsync(start);
        var body = await session.Content.ReadAsStringAsync();
        if (session.StatusCode != HttpStatusCode.OK) return JsonNode.Parse(body)!;
        using var put = new HttpRequestMessage(HttpMethod.Put, session.Headers.Location) { Content = new ByteArrayContent(FlowHelpers.FakeMp4(600)) };
        using var done = await sandbox.Http.SendAsync(put);
        return JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        configure?.Invoke(request);
        return await sandbox.Http.SendAsync(request);
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["errors"]![0]!["reason"]!.GetValue<string>();

    [Fact]
    public async Task A_resumable_thumbnails_set_takes_the_image_in_chunks_resumes_from_the_reported_offset_and_records_its_sha256()
    {
        // §15.2: the resumable form (uploadType=resumable + X-Upload-Content-Type/Length → Location → PUT).
        var (token, channelId) = await TokenAsync();
        var videoId = (await UploadAsync(token))["id"]!.GetValue<string>();
        var image = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg");
        var half = image.Length / 2;

        using var start = await SendAsync(HttpMethod.Post, $"youtube/upload/youtube/v3/thumbnails/set?videoId={videoId}&uploadType=resumable", token, new ByteArrayContent([]), r =>
        {
            r.Headers.Add("X-Upload-Content-Type", "image/jpeg");
            r.Headers.Add("X-Upload-Content-Length", image.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var session = start.Headers.Location!;

        using (var first = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(image[..half]) })
        {
            first.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes 0-{half - 1}/{image.Length}");
            using var partial = await sandbox.Http.SendAsync(first);
            Assert.Equal(308, (int)partial.StatusCode);
        }
        using (var query = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent([]) })
        {
            query.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes */{image.Length}");
            using var status = await sandbox.Http.SendAsync(query);
            Assert.Equal(308, (int)status.StatusCode);
            Assert.Equal($"bytes=0-{half - 1}", status.Headers.GetValues("Range").Single());
        }
        using (var rest = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(image[half..]) })
        {
            rest.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes {half}-{image.Length - 1}/{image.Length}");
            using var done = await sandbox.Http.SendAsync(rest);
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            Assert.Equal("youtube#thumbnailSetResponse", JsonNode.Parse(await done.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
        }

        var published = Assert.Single(await sandbox.PublishedAsync(channelId))!;
        Assert.Equal(FlowHelpers.Sha256(image), published["thumbnail_sha256"]!.GetValue<string>());
        Assert.Equal(image.Length, published["thumbnail_byte_length"]!.GetValue<long>());
    }

    [Fact]
    public async Task Thumbnails_set_is_refused_for_a_channel_without_custom_thumbnails_an_oversized_image_and_a_wrong_upload_type()
    {
        // §15.2: the channel must be allowed custom thumbnails (403 forbidden); §6.6/§15.1: the size limit (configurable, 2 MB on old pages).
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { meta = false, youtube_custom_thumbnails = false });
        var (token, _) = await TokenAsync(identity);
        var videoId = (await UploadAsync(token))["id"]!.GetValue<string>();
        var image = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg");
        using var unverified = await SendAsync(HttpMethod.Post, $"youtube/upload/youtube/v3/thumbnails/set?videoId={videoId}&uploadType=media", token, new ByteArrayContent(image));
        Assert.Equal(HttpStatusCode.Forbidden, unverified.StatusCode);
        Assert.Equal("forbidden", await ReasonAsync(unverified));

        var (allowed, _) = await TokenAsync();
        var ownVideo = (await UploadAsync(allowed))["id"]!.GetValue<string>();
        await sandbox.SettingsAsync(new { youtube_thumbnail_max_bytes = 2 * 1024 * 1024 });
        using var tooLarge = await SendAsync(HttpMethod.Post, $"youtube/upload/youtube/v3/thumbnails/set?videoId={ownVideo}&uploadType=resumable", allowed, new ByteArrayContent([]), r =>
        {
            r.Headers.Add("X-Upload-Content-Type", "image/png");
            r.Headers.Add("X-Upload-Content-Length", (2 * 1024 * 1024 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Equal("invalidImage", await ReasonAsync(tooLarge));
        using var wrongType = await SendAsync(HttpMethod.Post, $"youtube/upload/youtube/v3/thumbnails/set?videoId={ownVideo}&uploadType=multipart", allowed, new ByteArrayContent(image));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        using var video = await SendAsync(HttpMethod.Post, $"youtube/upload/youtube/v3/thumbnails/set?videoId={ownVideo}&uploadType=resumable", allowed, new ByteArrayContent([]), r =>
            r.Headers.Add("X-Upload-Content-Type", "video/mp4"));
        Assert.Equal(HttpStatusCode.BadRequest, video.StatusCode);
    }

    [Fact]
    public async Task Google_Apis_ResumableUpload_sets_a_thumbnail_through_the_resumable_protocol()
    {
        var (service, channelId, accessToken) = await SandboxYouTubeService.ForDefaultIdentityAsync(sandbox);
        var videoId = (await UploadAsync(accessToken))["id"]!.GetValue<string>();
        var image = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.png");
        var upload = new ThumbnailSetUpload(service, videoId, new MemoryStream(image), "image/png") { ChunkSize = ResumableUpload.MinimumChunkSize };

        var progress = await upload.UploadAsync();

        Assert.True(progress.Status == UploadStatus.Completed, progress.Exception?.ToString());
        Assert.Equal("youtube#thumbnailSetResponse", upload.ResponseBody?.Kind);
        Assert.Equal(FlowHelpers.Sha256(image), Assert.Single(await sandbox.PublishedAsync(channelId))!["thumbnail_sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task PlaylistItems_insert_needs_more_than_youtube_upload_adds_the_video_once_and_lists_it_by_video()
    {
        // §15.3: youtube.upload is not enough (403 insufficientPermissions); unknown playlist → 404 playlistNotFound; 50 units.
        var (uploadOnly, channelId) = await TokenAsync();
        var videoId = (await UploadAsync(uploadOnly))["id"]!.GetValue<string>();
        var playlist = (await sandbox.PostControlAsync("_sandbox/youtube/playlists", new { channel_id = channelId, title = "Launches", max_items = 1 }))["id"]!.GetValue<string>();
        JsonContent Item(string playlistId, string video, string kind = "youtube#video") =>
            JsonContent.Create(new { snippet = new { playlistId, resourceId = new { kind, videoId = video } } });

        using var refused = await SendAsync(HttpMethod.Post, "youtube/youtube/v3/playlistItems?part=snippet", uploadOnly, Item(playlist, videoId));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("insufficientPermissions", await ReasonAsync(refused));

        var (manage, _) = await TokenAsync(scopes: [FlowHelpers.UploadScope, FlowHelpers.ReadonlyScope, ForceSslScope]);
        using var unknown = await SendAsync(HttpMethod.Post, "youtube/youtube/v3/playlistItems?part=snippet", manage, Item("PLdoesnotexist", videoId));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("playlistNotFound", await ReasonAsync(unknown));
        using var channel = await SendAsync(HttpMethod.Post, "youtube/youtube/v3/playlistItems?part=snippet", manage, Item(playlist, channelId, "youtube#channel"));
        Assert.Equal("invalidResourceType", await ReasonAsync(channel));

        var unitsBefore = (await sandbox.GetJsonAsync("_sandbox/quotas"))["youtube"]!["units_used"]!.GetValue<int>();
        using var added = await SendAsync(HttpMethod.Post, "youtube/youtube/v3/playlistItems?part=snippet", manage, Item(playlist, videoId));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var item = JsonNode.Parse(await added.Content.ReadAsStringAsync())!;
        Assert.Equal("youtube#playlistItem", item["kind"]!.GetValue<string>());
        Assert.Equal(unitsBefore + 50, (await sandbox.GetJsonAsync("_sandbox/quotas"))["youtube"]!["units_used"]!.GetValue<int>());

        using var listed = await SendAsync(HttpMethod.Get, $"youtube/youtube/v3/playlistItems?part=id&playlistId={playlist}&videoId={videoId}", uploadOnly);
        Assert.Equal(item["id"]!.GetValue<string>(), JsonNode.Parse(await listed.Content.ReadAsStringAsync())!["items"]![0]!["id"]!.GetValue<string>());
        using var otherVideo = await SendAsync(HttpMethod.Get, $"youtube/youtube/v3/playlistItems?part=id&playlistId={playlist}&videoId=xxxxxxxxxxx", uploadOnly);
        Assert.Empty(JsonNode.Parse(await otherVideo.Content.ReadAsStringAsync())!["items"]!.AsArray());

        var second = (await UploadAsync(manage))["id"]!.GetValue<string>();
        using var full = await SendAsync(HttpMethod.Post, "youtube/youtube/v3/playlistItems?part=snippet", manage, Item(playlist, second));
        Assert.Equal(HttpStatusCode.Forbidden, full.StatusCode);
        Assert.Equal("playlistContainsMaximumNumberOfVideos", await ReasonAsync(full));

        var published = (await sandbox.PublishedAsync(channelId)).Single(p => p!["id"]!.GetValue<string>() == videoId)!;
        Assert.Equal(playlist, Assert.Single(published["playlists"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task Languages_and_the_synthetic_media_flag_round_trip_and_bad_tags_or_localizations_without_a_default_language_are_refused()
    {
        // §15.5: containsSyntheticMedia writable; defaultLanguage / defaultAudioLanguage BCP-47; localizations need defaultLanguage.
        var (token, channelId) = await TokenAsync();
        var video = await UploadAsync(token,
            new JsonObject { ["defaultLanguage"] = "pt-BR", ["defaultAudioLanguage"] = "en" },
            new JsonObject { ["privacyStatus"] = "private", ["containsSyntheticMedia"] = true });
        var id = video["id"]!.GetValue<string>();
        Assert.Equal("pt-BR", video["snippet"]!["defaultLanguage"]!.GetValue<string>());
        Assert.True(video["status"]!["containsSyntheticMedia"]!.GetValue<bool>());
        using var read = await SendAsync(HttpMethod.Get, $"youtube/youtube/v3/videos?part=snippet,status&id={id}", token);
        var item = JsonNode.Parse(await read.Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal("en", item["snippet"]!["defaultAudioLanguage"]!.GetValue<string>());
        Assert.True(item["status"]!["containsSyntheticMedia"]!.GetValue<bool>());
        var published = Assert.Single(await sandbox.PublishedAsync(channelId))!;
        Assert.Equal("pt-BR", published["default_language"]!.GetValue<string>());
        Assert.Equal("en", published["default_audio_language"]!.GetValue<string>());
        Assert.True(published["contains_synthetic_media"]!.GetValue<bool>());

        var badTag = await UploadAsync(token, new JsonObject { ["defaultLanguage"] = "english please" });
        Assert.Equal("invalidVideoMetadata", badTag["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        var localized = await UploadAsync(token, extra: new JsonObject { ["localizations"] = new JsonObject { ["de"] = new JsonObject { ["title"] = "Hallo" } } });
        Assert.Equal("defaultLanguageNotSet", localized["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }
}
