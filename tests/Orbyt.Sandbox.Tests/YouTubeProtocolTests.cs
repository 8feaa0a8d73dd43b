using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class YouTubeProtocolTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Token, string ChannelId)> TokenAsync(string[]? scopes = null)
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, identity["id"]!.GetValue<string>(), scopes);
        return (tokens["access_token"]!.GetValue<string>(), identity["google"]!["channel"]!["id"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> StartAsync(string token, long size, bool gzip = true)
    {
        var json = Encoding.UTF8.GetBytes("""{"snippet":{"title":"Protocol test","description":"d"},"status":{"privacyStatus":"unlisted"}}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Upload-Content-Length", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Upload-Content-Type", "video/mp4");
        if (gzip)
        {
            var compressed = new MemoryStream();
            await using (var zip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await zip.WriteAsync(json);
            }

            request.Content = new ByteArrayContent(compressed.ToArray());
            request.Content.Headers.ContentEncoding.Add("gzip");
        }
        else
        {
            request.Content = new ByteArrayContent(json);
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await sandbox.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PutAsync(Uri session, byte[] bytes, string contentRange)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Range", contentRange);
        return sandbox.Http.SendAsync(request);
    }

    [Fact]
    public async Task The_resumable_protocol_answers_308_with_Range_accepts_a_status_query_and_finishes_with_the_video()
    {
        var (token, channelId) = await TokenAsync();
        var file = FlowHelpers.FakeMp4(262_144 + 1000);
        var start = await StartAsync(token, file.Length);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var session = start.Headers.Location!;
        Assert.True(session.IsAbsoluteUri);
        Assert.StartsWith(sandbox.BaseUri.ToString(), session.ToString());

        var misaligned = await PutAsync(session, file[..1000], $"bytes 0-999/{file.Length}");
        Assert.Equal(HttpStatusCode.BadRequest, misaligned.StatusCode);

        var first = await PutAsync(session, file[..262_144], $"bytes 0-262143/{file.Length}");
        Assert.Equal(308, (int)first.StatusCode);
        Assert.Equal("bytes=0-262143", first.Headers.GetValues("Range").Single());

        var status = await PutAsync(session, [], $"bytes */{file.Length}");
        Assert.Equal(308, (int)status.StatusCode);
        Assert.Equal("bytes=0-262143", status.Headers.GetValues("Range").Single());

        var last = await PutAsync(session, file[262_144..], $"bytes 262144-{file.Length - 1}/{file.Length}");
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        var video = JsonNode.Parse(await last.Content.ReadAsStringAsync())!;
        Assert.Equal("uploaded", video["status"]!["uploadStatus"]!.GetValue<string>());
        Assert.Equal(11, video["id"]!.GetValue<string>().Length);
        var published = Assert.Single(await sandbox.PublishedAsync(channelId));
        Assert.Equal(FlowHelpers.Sha256(file), published!["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_uncompressed_initiation_body_is_accepted_too_and_an_expired_session_is_404()
    {
        var (token, _) = await TokenAsync();
        var start = await StartAsync(token, 1000, gzip: false);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);

        await sandbox.AdvanceClockAsync(8 * 24 * 3600);
        var put = await PutAsync(start.Headers.Location!, new byte[1000], "bytes 0-999/1000");
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task Processing_finishes_after_the_configured_time_or_fails_when_scripted()
    {
        var (token, _) = await TokenAsync();
        await sandbox.SettingsAsync(new { youtube_processing_seconds = 300 });
        var ids = new List<string>();
        foreach (var scripted in new[] { false, true })
        {
            if (scripted)
            {
                await sandbox.FaultAsync(new { kind = "processing_failure", platform = "youtube", reason = "codec" });
            }

            var start = await StartAsync(token, 500);
            var done = await PutAsync(start.Headers.Location!, FlowHelpers.FakeMp4(500), "bytes 0-499/500");
            ids.Add(JsonNode.Parse(await done.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"youtube/youtube/v3/videos?id={string.Join(',', ids)}&part=status,processingDetails");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var before = JsonNode.Parse(await (await sandbox.Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("processing", before["items"]![0]!["processingDetails"]!["processingStatus"]!.GetValue<string>());

        await sandbox.AdvanceClockAsync(301);
        using var again = new HttpRequestMessage(HttpMethod.Get, request.RequestUri);
        again.Headers.Authorization = request.Headers.Authorization;
        var after = JsonNode.Parse(await (await sandbox.Http.SendAsync(again)).Content.ReadAsStringAsync())!;
        Assert.Equal("processed", after["items"]![0]!["status"]!["uploadStatus"]!.GetValue<string>());
        Assert.Equal("failed", after["items"]![1]!["status"]!["uploadStatus"]!.GetValue<string>());
        Assert.Equal("codec", after["items"]![1]!["status"]!["failureReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Thumbnails_set_takes_a_jpeg_for_the_callers_video_costs_50_units_and_refuses_other_images_and_videos()
    {
        var (token, channelId) = await TokenAsync();
        var start = await StartAsync(token, 500);
        var done = await PutAsync(start.Headers.Location!, FlowHelpers.FakeMp4(500), "bytes 0-499/500");
        var videoId = JsonNode.Parse(await done.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        async Task<HttpResponseMessage> SetAsync(string id, byte[] image, string bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"youtube/upload/youtube/v3/thumbnails/set?videoId={id}") { Content = new ByteArrayContent(image) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await sandbox.Http.SendAsync(request);
        }

        var jpeg = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg");
        var unitsBefore = (await sandbox.GetJsonAsync("_sandbox/quotas"))["youtube"]!["units_used"]!.GetValue<int>();
        var set = await SetAsync(videoId, jpeg, token);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var body = JsonNode.Parse(await set.Content.ReadAsStringAsync())!;
        Assert.Equal("youtube#thumbnailSetResponse", body["kind"]!.GetValue<string>());
        Assert.Equal(1280, body["items"]![0]!["maxres"]!["width"]!.GetValue<int>());
        Assert.Equal(unitsBefore + 50, (await sandbox.GetJsonAsync("_sandbox/quotas"))["youtube"]!["units_used"]!.GetValue<int>());
        Assert.Equal(FlowHelpers.Sha256(jpeg), Assert.Single(await sandbox.PublishedAsync(channelId))!["thumbnail_sha256"]!.GetValue<string>());

        Assert.Contains("\"invalidImage\"", await (await SetAsync(videoId, FlowHelpers.FakeMp4(100), token)).Content.ReadAsStringAsync());
        Assert.Contains("\"mediaBodyRequired\"", await (await SetAsync(videoId, [], token)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await SetAsync("xxxxxxxxxxx", jpeg, token)).StatusCode);
        var other = await sandbox.PostControlAsync("_sandbox/identities", new { meta = false });
        var otherToken = (await FlowHelpers.GoogleTokensAsync(sandbox, other["google"]!["email"]!.GetValue<string>()))["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await SetAsync(videoId, jpeg, otherToken)).StatusCode);
    }

    [Fact]
    public async Task Quotas_answer_quotaExceeded_and_uploadLimitExceeded_and_reset_at_Pacific_midnight()
    {
        var (token, channelId) = await TokenAsync();
        await sandbox.PostControlAsync("_sandbox/quotas/exhaust", new { quota = "youtube_channel_uploads", account_id = channelId });
        var limited = await StartAsync(token, 10);
        Assert.Equal(HttpStatusCode.BadRequest, limited.StatusCode);
        Assert.Contains("uploadLimitExceeded", await limited.Content.ReadAsStringAsync());

        await sandbox.PostControlAsync("_sandbox/quotas/exhaust", new { quota = "youtube_inserts" });
        var exhausted = await StartAsync(token, 10);
        Assert.Equal(HttpStatusCode.Forbidden, exhausted.StatusCode);
        var body = JsonNode.Parse(await exhausted.Content.ReadAsStringAsync())!;
        Assert.Equal("quotaExceeded", body["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("youtube.quota", body["error"]!["errors"]![0]!["domain"]!.GetValue<string>());

        await sandbox.AdvanceClockAsync(25 * 3600);
        var (fresh, _) = await TokenAsync();
        Assert.Equal(HttpStatusCode.OK, (await StartAsync(fresh, 10)).StatusCode);
    }

    [Fact]
    public async Task Channels_mine_returns_the_channel_or_no_items_and_bad_tokens_get_the_auth_envelopes()
    {
        var (token, channelId) = await TokenAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "youtube/youtube/v3/channels?part=snippet,contentDetails&mine=true"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var body = JsonNode.Parse(await (await sandbox.Http.SendAsync(request)).Content.ReadAsStringAsync())!;
            Assert.Equal(channelId, body["items"]![0]!["id"]!.GetValue<string>());
            Assert.StartsWith("UC", channelId);
            Assert.Equal(24, channelId.Length);
        }

        var noChannel = await sandbox.PostControlAsync("_sandbox/identities", new { youtube_channel = false, meta = false });
        var other = await FlowHelpers.GoogleTokensAsync(sandbox, noChannel["google"]!["email"]!.GetValue<string>());
        using (var request = new HttpRequestMessage(HttpMethod.Get, "youtube/youtube/v3/channels?part=snippet&mine=true"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", other["access_token"]!.GetValue<string>());
            var body = JsonNode.Parse(await (await sandbox.Http.SendAsync(request)).Content.ReadAsStringAsync())!;
            Assert.Empty(body["items"]!.AsArray());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, "youtube/youtube/v3/channels?part=snippet&mine=true"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ya29.bogus");
            var response = await sandbox.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("authError", await response.Content.ReadAsStringAsync());
        }

        var uploadOnly = await FlowHelpers.GoogleTokensAsync(sandbox, noChannel["google"]!["email"]!.GetValue<string>(), [FlowHelpers.UploadScope]);
        using (var request = new HttpRequestMessage(HttpMethod.Get, "youtube/youtube/v3/channels?part=snippet&mine=true"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", uploadOnly["access_token"]!.GetValue<string>());
            var response = await sandbox.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("insufficientPermissions", await response.Content.ReadAsStringAsync());
        }
    }
}
