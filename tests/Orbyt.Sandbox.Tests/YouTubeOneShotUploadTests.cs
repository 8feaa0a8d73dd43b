using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// videos.insert in one request, the way Google's Node client (googleapis) sends it: reference §15.8 (multipart/related
/// with lowercase part headers and CRLF, chunked, repeated <c>part=</c>; <c>uploadType=media</c> for the bytes alone), with
/// the checks of §6.3 (media types, 256 GB), §6.7 (the insert bucket) and §6.8 (Google's error shape).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class YouTubeOneShotUploadTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private const string Metadata = """{"snippet":{"title":"One shot","description":"multipart","tags":["a"],"categoryId":"22"},"status":{"privacyStatus":"unlisted"}}""";

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Token, string ChannelId)> TokenAsync()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, identity["id"]!.GetValue<string>());
        return (tokens["access_token"]!.GetValue<string>(), identity["google"]!["channel"]!["id"]!.GetValue<string>());
    }

    /// <summary>The body exactly as googleapis-common builds it (§15.8).</summary>
    private static byte[] MultipartBody(string boundary, string metadata, byte[] media, string mediaType = "video/mp4")
    {
        var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\ncontent-type: application/json\r\n\r\n{metadata}\r\n"));
        body.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\ncontent-type: {mediaType}\r\n\r\n"));
        body.Write(media);
        body.Write(Encoding.UTF8.GetBytes($"\r\n--{boundary}--"));
        return body.ToArray();
    }

    /// <summary>A POST whose body has no Content-Length, so it goes chunked as a stream body does from Node.</summary>
    private async Task<HttpResponseMessage> PostAsync(string path, string? token, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new UnknownLengthStream(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await sandbox.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> MultipartAsync(string token, byte[] body, string boundary, string path = "youtube/upload/youtube/v3/videos") =>
        PostAsync($"{path}?part=snippet&part=status&notifySubscribers=false&uploadType=multipart", token, body, $"multipart/related; boundary={boundary}");

    private static async Task<(int Status, string Reason, string Domain)> GoogleErrorAsync(HttpResponseMessage response)
    {
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal((int)response.StatusCode, error["code"]!.GetValue<int>());
        var first = error["errors"]![0]!;
        return ((int)response.StatusCode, first["reason"]!.GetValue<string>(), first["domain"]!.GetValue<string>());
    }

    private async Task<int> InsertsUsedAsync() => (await sandbox.GetJsonAsync("_sandbox/quotas"))["youtube"]!["inserts_used"]!.GetValue<int>();

    [Fact]
    public async Task A_multipart_related_insert_as_googleapis_sends_it_creates_the_video_with_its_metadata_and_the_exact_bytes()
    {
        var (token, channelId) = await TokenAsync();
        var file = FlowHelpers.FakeMp4(700_000, seed: 21);
        var boundary = Guid.NewGuid().ToString();

        var response = await MultipartAsync(token, MultipartBody(boundary, Metadata, file), boundary);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var video = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var id = video["id"]!.GetValue<string>();
        Assert.Equal("youtube#video", video["kind"]!.GetValue<string>());
        Assert.Equal("One shot", video["snippet"]!["title"]!.GetValue<string>());
        Assert.Equal("unlisted", video["status"]!["privacyStatus"]!.GetValue<string>());
        Assert.Equal("uploaded", video["status"]!["uploadStatus"]!.GetValue<string>());
        var published = Assert.Single(await sandbox.PublishedAsync(channelId));
        Assert.Equal((id, FlowHelpers.Sha256(file), file.Length), (published!["id"]!.GetValue<string>(), published["sha256"]!.GetValue<string>(), published["byte_length"]!.GetValue<int>()));
        Assert.Equal(1, await InsertsUsedAsync());

        var listed = JsonNode.Parse(await (await sandbox.BearerGetAsync($"youtube/youtube/v3/videos?part=snippet,status&id={id}", token)).Content.ReadAsStringAsync())!;
        Assert.Equal("One shot", listed["items"]![0]!["snippet"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_media_upload_without_metadata_creates_a_public_video_with_YouTubes_placeholder_title()
    {
        var (token, channelId) = await TokenAsync();
        var file = FlowHelpers.FakeMp4(300_000, seed: 22);

        var response = await PostAsync("youtube/upload/youtube/v3/videos?part=snippet%2Cstatus&uploadType=media", token, file, "application/octet-stream");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var video = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("unknown", video["snippet"]!["title"]!.GetValue<string>());
        Assert.Equal("public", video["status"]!["privacyStatus"]!.GetValue<string>());
        var published = Assert.Single(await sandbox.PublishedAsync(channelId));
        Assert.Equal(FlowHelpers.Sha256(file), published!["sha256"]!.GetValue<string>());
        Assert.Equal(1, await InsertsUsedAsync());
    }

    [Fact]
    public async Task One_shot_inserts_refuse_what_the_resumable_path_refuses_in_Googles_error_shape_and_record_nothing()
    {
        var (token, channelId) = await TokenAsync();
        var file = FlowHelpers.FakeMp4(1000, seed: 23);
        var boundary = "b-" + Guid.NewGuid();

        Assert.Equal((401, "required", "global"), await GoogleErrorAsync(await MultipartAsync(null!, MultipartBody(boundary, Metadata, file), boundary)));
        Assert.Equal((400, "invalidTitle", "youtube.video"),
            await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, """{"snippet":{"title":""}}""", file), boundary)));
        Assert.Equal((400, "invalid", "global"),
            await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, """{"snippet":{"title":42}}""", file), boundary)));
        Assert.Equal((400, "badContent", "global"),
            await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, Metadata, file, mediaType: "image/jpeg"), boundary)));
        Assert.Equal((400, "badContent", "global"), await GoogleErrorAsync(await PostAsync(
            "youtube/upload/youtube/v3/videos?part=snippet&uploadType=multipart", token, MultipartBody(boundary, Metadata, file), $"multipart/form-data; boundary={boundary}")));
        Assert.Equal((400, "badContent", "global"),
            await GoogleErrorAsync(await PostAsync("youtube/upload/youtube/v3/videos?part=snippet&uploadType=media", token, file, "text/plain")));
        Assert.Equal((400, "required", "global"),
            await GoogleErrorAsync(await PostAsync("youtube/upload/youtube/v3/videos?uploadType=media", token, file, "video/mp4")));
        Assert.Equal((400, "badRequest", "global"), await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, Metadata, file), boundary,
            path: "youtube/resumable/upload/youtube/v3/videos")));
        Assert.Empty(await sandbox.PublishedAsync(channelId));
        Assert.Equal(0, await InsertsUsedAsync());

        // Past the metadata checks an insert is charged, as on YouTube, even when the media then fails.
        Assert.Equal((400, "mediaBodyRequired", "youtube.video"),
            await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, Metadata, []), boundary)));
        await sandbox.SettingsAsync(new { youtube_video_max_bytes = 999 });
        Assert.Equal((413, "uploadTooLarge", "global"), await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, Metadata, file), boundary)));
        Assert.Equal((413, "uploadTooLarge", "global"),
            await GoogleErrorAsync(await PostAsync("youtube/upload/youtube/v3/videos?part=snippet&uploadType=media", token, file, "video/mp4")));
        Assert.Empty(await sandbox.PublishedAsync(channelId));
        Assert.Equal(3, await InsertsUsedAsync());

        await sandbox.SettingsAsync(new { youtube_video_max_bytes = 274_877_906_944 });
        await sandbox.PostControlAsync("_sandbox/quotas/exhaust", new { quota = "youtube_inserts" });
        Assert.Equal((403, "quotaExceeded", "youtube.quota"), await GoogleErrorAsync(await MultipartAsync(token, MultipartBody(boundary, Metadata, file), boundary)));
        Assert.Equal((403, "quotaExceeded", "youtube.quota"),
            await GoogleErrorAsync(await PostAsync("youtube/upload/youtube/v3/videos?part=snippet&uploadType=media", token, file, "video/mp4")));
        Assert.Empty(await sandbox.PublishedAsync(channelId));
    }

    [Fact]
    public async Task The_resumable_session_start_checks_the_media_type_and_size_limit_too()
    {
        var (token, _) = await TokenAsync();
        async Task<HttpResponseMessage> StartAsync(string type, long size)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet")
            {
                Content = new StringContent(Metadata, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("X-Upload-Content-Type", type);
            request.Headers.Add("X-Upload-Content-Length", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return await sandbox.Http.SendAsync(request);
        }

        Assert.Equal((400, "badContent", "global"), await GoogleErrorAsync(await StartAsync("image/png", 1000)));
        Assert.Equal((413, "uploadTooLarge", "global"), await GoogleErrorAsync(await StartAsync("video/mp4", 274_877_906_945)));
        Assert.Equal(HttpStatusCode.OK, (await StartAsync("video/quicktime", 1000)).StatusCode);
    }

    [Fact]
    public async Task A_cut_connection_mid_multipart_leaves_no_video_because_a_one_shot_upload_cannot_resume()
    {
        var (token, channelId) = await TokenAsync();
        await sandbox.FaultAsync(new { kind = "cut_connection", path_prefix = "/youtube/upload/", method = "POST", count = 1, after_bytes = 100_000 });
        var boundary = Guid.NewGuid().ToString();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => MultipartAsync(token, MultipartBody(boundary, Metadata, FlowHelpers.FakeMp4(400_000)), boundary));

        Assert.Empty(await sandbox.PublishedAsync(channelId));
    }

    /// <summary>A readable stream that hides its length, so HttpClient sends it with chunked transfer encoding.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
