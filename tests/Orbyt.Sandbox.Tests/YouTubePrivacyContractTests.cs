using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// §15.1 / §15.7: the privacy YouTube applies can differ from the one asked for (account settings; before 2026-11-02
/// every upload of an unverified API project), so clients must read <c>status.privacyStatus</c> back. A missing
/// <c>privacyStatus</c> means <c>public</c>.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class YouTubePrivacyContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> TokenAsync()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, identity["id"]!.GetValue<string>());
        return tokens["access_token"]!.GetValue<string>();
    }

    /// <summary>A whole resumable upload in one chunk; returns the Video resource of the final answer.</summary>
    private async Task<JsonNode> UploadAsync(string token, string? privacyStatus)
    {
        var resource = new JsonObject { ["snippet"] = new JsonObject { ["title"] = "Privacy" } };
        if (privacyStatus is not null)
        {
            resource["status"] = new JsonObject { ["privacyStatus"] = privacyStatus };
        }

        var file = FlowHelpers.FakeMp4(700);
        using var start = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
        {
            Content = new StringContent(resource.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        start.Headers.Add("X-Upload-Content-Length", file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var session = await sandbox.Http.SendAsync(start);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        using var put = new HttpRequestMessage(HttpMethod.Put, session.Headers.Location) { Content = new ByteArrayContent(file) };
        put.Content.Headers.TryAddWithoutValidation("Content-Range", $"bytes 0-{file.Length - 1}/{file.Length}");
        var done = await sandbox.Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        return JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
    }

    private async Task<string> ReadPrivacyAsync(string token, string videoId)
    {
        var response = await sandbox.BearerGetAsync($"youtube/youtube/v3/videos?id={videoId}&part=status", token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["items"]![0]!["status"]!["privacyStatus"]!.GetValue<string>();
    }

    [Fact]
    public async Task Forced_private_applies_at_upload_is_what_the_upload_answer_and_videos_list_report_and_stays_after_the_setting_changes()
    {
        var token = await TokenAsync();
        await sandbox.SettingsAsync(new { youtube_force_private = true });
        var forced = await UploadAsync(token, "public");
        var id = forced["id"]!.GetValue<string>();
        Assert.Equal("private", forced["status"]!["privacyStatus"]!.GetValue<string>());
        Assert.Equal("private", await ReadPrivacyAsync(token, id));

        // The account setting decides at upload time: turning it off does not publish what was already uploaded.
        await sandbox.SettingsAsync(new { youtube_force_private = false });
        Assert.Equal("private", await ReadPrivacyAsync(token, id));

        var asked = await UploadAsync(token, "unlisted");
        Assert.Equal("unlisted", await ReadPrivacyAsync(token, asked["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_upload_without_privacyStatus_is_public()
    {
        var token = await TokenAsync();
        var video = await UploadAsync(token, null);
        Assert.Equal("public", video["status"]!["privacyStatus"]!.GetValue<string>());
        Assert.Equal("public", await ReadPrivacyAsync(token, video["id"]!.GetValue<string>()));
    }
}
