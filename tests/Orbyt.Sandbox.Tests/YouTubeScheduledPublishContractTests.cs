using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// §15.4: <c>status.publishAt</c> "can be set only if the privacy status of the video is private" (anything else, or a
/// value that is not a date-time, is 400 <c>invalidPublishAt</c>); at that time YouTube switches the video to public by
/// itself, and <c>videos.list</c> reads <c>publishAt</c> back.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class YouTubeScheduledPublishContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_private_video_with_publishAt_turns_public_at_that_time_on_the_sandbox_clock()
    {
        var token = await TokenAsync();
        var clock = await sandbox.GetJsonAsync("_sandbox/clock");
        var publishAt = DateTimeOffset.Parse(clock["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        using var start = await StartUploadAsync(token, new JsonObject { ["privacyStatus"] = "private", ["publishAt"] = publishAt });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var video = await FinishUploadAsync(start);
        var id = video["id"]!.GetValue<string>();

        var before = await ReadStatusAsync(token, id);
        Assert.Equal("private", before["privacyStatus"]!.GetValue<string>());
        Assert.Equal(publishAt, before["publishAt"]!.GetValue<string>());

        await sandbox.PostControlAsync("_sandbox/clock/advance", new { seconds = 2 * 3600 + 1 });
        // The first access token expired meanwhile (an hour): a new one for the same channel.
        Assert.Equal("public", (await ReadStatusAsync(await TokenAsync(), id))["privacyStatus"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("public", "2030-01-01T09:00:00Z")]
    [InlineData("unlisted", "2030-01-01T09:00:00Z")]
    [InlineData("private", "next tuesday")]
    public async Task PublishAt_with_another_privacy_or_a_bad_value_is_invalidPublishAt(string privacy, string publishAt)
    {
        var token = await TokenAsync();
        using var start = await StartUploadAsync(token, new JsonObject { ["privacyStatus"] = privacy, ["publishAt"] = publishAt });

        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        var error = JsonNode.Parse(await start.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalidPublishAt", error["errors"]![0]!["reason"]!.GetValue<string>());
    }

    private async Task<string> TokenAsync()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, identity["id"]!.GetValue<string>());
        return tokens["access_token"]!.GetValue<string>();
    }

    private Task<HttpResponseMessage> StartUploadAsync(string token, JsonObject status)
    {
        var resource = new JsonObject { ["snippet"] = new JsonObject { ["title"] = "Scheduled" }, ["status"] = status };
        var start = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
        {
            Content = new StringContent(resource.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        start.Headers.Add("X-Upload-Content-Length", "700");
        return sandbox.Http.SendAsync(start);
    }

    private async Task<JsonNode> FinishUploadAsync(HttpResponseMessage session)
    {
        var file = FlowHelpers.FakeMp4(700);
        using var put = new HttpRequestMessage(HttpMethod.Put, session.Headers.Location) { Content = new ByteArrayContent(file) };
        put.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes 0-{file.Length - 1}/{file.Length}");
        using var done = await sandbox.Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        return JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> ReadStatusAsync(string token, string videoId)
    {
        var response = await sandbox.BearerGetAsync($"youtube/youtube/v3/videos?id={videoId}&part=status", token);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]![0]!["status"]!;
    }
}
