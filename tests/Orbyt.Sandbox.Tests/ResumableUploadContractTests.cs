using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// The Resumable Upload API as the current Video API docs name it for Page videos (reference §17.4): a session of the
/// person's user token, bytes with <c>Authorization: OAuth</c> and <c>file_offset</c>, the handle published with
/// <c>fbuploader_video_file_chunk</c> on graph.facebook.com.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ResumableUploadContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_session_needs_a_user_token_in_the_oauth_header_resumes_from_its_offset_and_gives_the_handle_once()
    {
        var (userToken, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, userToken, pageId);
        var file = FlowHelpers.FakeMp4(6000);

        var withPageToken = await sandbox.PostGraphAsync($"1234567890/uploads?file_name=a.mp4&file_length={file.Length}&file_type=video/mp4&access_token={pageToken}", []);
        Assert.Equal(100, withPageToken["error"]!["code"]!.GetValue<int>());
        var session = (await sandbox.PostGraphAsync($"1234567890/uploads?file_name=a.mp4&file_length={file.Length}&file_type=video/mp4&access_token={userToken}", []))["id"]!.GetValue<string>();

        // The token in the query is not enough for the session itself.
        var inQuery = JsonNode.Parse(await (await sandbox.Http.GetAsync($"graph/v24.0/{session}?access_token={userToken}")).Content.ReadAsStringAsync())!;
        Assert.Equal(104, inQuery["error"]!["code"]!.GetValue<int>());

        var first = await SendAsync(session, userToken, file, 0, 2500);
        Assert.Null(first["h"]);
        var offset = JsonNode.Parse(await (await SendAsync(session, userToken, HttpMethod.Get)).Content.ReadAsStringAsync())!;
        Assert.Equal("2500", offset["file_offset"]!.GetValue<string>());
        Assert.Null(offset["h"]);
        var wrongOffset = await SendAsync(session, userToken, file, 0, 100);
        Assert.Equal(100, wrongOffset["error"]!["code"]!.GetValue<int>());
        var last = await SendAsync(session, userToken, file, 2500, file.Length - 2500);
        var handle = last["h"]!.GetValue<string>();
        // GET tells the offset, never the handle: a lost answer to the last POST means a new session.
        Assert.Null(JsonNode.Parse(await (await SendAsync(session, userToken, HttpMethod.Get)).Content.ReadAsStringAsync())!["h"]);

        var video = await sandbox.PostGraphAsync($"{pageId}/videos", new() { ["fbuploader_video_file_chunk"] = handle, ["title"] = "T", ["access_token"] = pageToken });
        Assert.NotNull(video["id"]);
        var again = await sandbox.PostGraphAsync($"{pageId}/videos", new() { ["fbuploader_video_file_chunk"] = handle, ["title"] = "T", ["access_token"] = pageToken });
        Assert.Equal(100, again["error"]!["code"]!.GetValue<int>());
        var published = Assert.Single(await sandbox.PublishedAsync(pageId))!;
        Assert.Equal(FlowHelpers.Sha256(file), published["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_persons_token_cannot_use_a_session()
    {
        var (userToken, _, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var other = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 1 });
        var otherToken = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, other["meta"]!["user_id"]!.GetValue<string>());
        var file = FlowHelpers.FakeMp4(1000);
        var session = (await sandbox.PostGraphAsync($"1234567890/uploads?file_name=a.mp4&file_length={file.Length}&file_type=video/mp4&access_token={userToken}", []))["id"]!.GetValue<string>();

        var refused = await SendAsync(session, otherToken, file, 0, file.Length);

        Assert.Equal(100, refused["error"]!["code"]!.GetValue<int>());
    }

    private async Task<JsonNode> SendAsync(string session, string token, byte[] file, long offset, long length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"graph/v24.0/{session}") { Content = new ByteArrayContent(file, (int)offset, (int)length) };
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", token);
        request.Headers.Add("file_offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return JsonNode.Parse(await (await sandbox.Http.SendAsync(request)).Content.ReadAsStringAsync())!;
    }

    private Task<HttpResponseMessage> SendAsync(string session, string token, HttpMethod method)
    {
        var request = new HttpRequestMessage(method, $"graph/v24.0/{session}");
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", token);
        return sandbox.Http.SendAsync(request);
    }
}
