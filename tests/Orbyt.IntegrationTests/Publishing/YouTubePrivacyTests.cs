using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orbyt.IntegrationTests.Webhooks;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// YouTube can apply another privacy than the one asked for (channel settings; reference §15.1, §15.7): the Uploader
/// reads <c>status.privacyStatus</c> back and says so on the job's result and in <c>job.published</c>.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class YouTubePrivacyTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;

    /// <summary>A client of its own: its webhook endpoint receives only this test's events.</summary>
    public async Task InitializeAsync()
    {
        var admin = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        var client = await admin.JsonAsync(HttpMethod.Post, "/v1/clients", new
        {
            name = "ytprivacy-" + Guid.NewGuid().ToString("N")[..8], allowed_return_urls = new[] { Scenario.ReturnPrefix },
        }, HttpStatusCode.Created);
        var api = new ApiCaller(fixture.Api, client.GetProperty("api_key").GetProperty("key").GetString()!);
        _scenario = new Scenario(fixture, api, "ytprivacy-" + Guid.NewGuid().ToString("N")[..10]);
    }

    public async Task DisposeAsync()
    {
        await _scenario.Sandbox.SettingsAsync(new { youtube_force_private = false });
        _scenario.Dispose();
    }

    /// <summary>A receiver registered as this client's webhook endpoint.</summary>
    private async Task<WebhookReceiver> ReceiverAsync()
    {
        var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url(), description = "privacy" }, HttpStatusCode.Created);
        receiver.Secrets["endpoint"] = endpoint.GetProperty("secret").GetString()!;
        return receiver;
    }

    private async Task<(JsonElement Job, JsonElement Webhook)> PublishAsync(WebhookReceiver receiver, string connectionId, string privacy)
    {
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 512 * 1024, ready_after_seconds = 0 });
        var asset = await assetResponse.Content.ReadFromJsonAsync<JsonElement>();
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = connectionId } },
            media = new { type = "video", url = asset.GetProperty("url").GetString() },
            title = "Privacy read back",
            youtube = new { privacy_status = privacy },
        }, HttpStatusCode.Accepted);
        var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;
        var job = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing);
        var webhook = await Eventually.ReadAsync(
            () => Task.FromResult(receiver.Received.FirstOrDefault(r => r.Type == "job.published" && r.Json.GetProperty("data").GetProperty("job").GetProperty("id").GetString() == jobId)),
            r => r is not null, $"job.published for {jobId}", Scenario.DeliveryTimeout);
        return (job, webhook!.Json);
    }

    [Fact]
    public async Task A_video_youtube_made_private_is_published_with_the_applied_privacy_and_a_warning_on_the_result_and_in_job_published()
    {
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        await using var receiver = await ReceiverAsync();
        await _scenario.Sandbox.SettingsAsync(new { youtube_force_private = true });

        var (job, webhook) = await PublishAsync(receiver, youtube.ConnectionId, "public");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var result = job.GetProperty("result");
        Assert.Equal("private", result.GetProperty("privacy_status").GetString());
        var warning = Assert.Single(result.GetProperty("warnings").EnumerateArray());
        Assert.Equal("youtube_privacy_changed", warning.GetProperty("code").GetString());
        Assert.Equal("public", warning.GetProperty("requested").GetString());
        Assert.Equal("private", warning.GetProperty("applied").GetString());
        var sent = webhook.GetProperty("data").GetProperty("job").GetProperty("result");
        Assert.Equal("private", sent.GetProperty("privacy_status").GetString());
        Assert.Equal("youtube_privacy_changed", Assert.Single(sent.GetProperty("warnings").EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_video_published_as_asked_reports_its_privacy_without_warnings()
    {
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        await using var receiver = await ReceiverAsync();
        await _scenario.Sandbox.SettingsAsync(new { youtube_force_private = false });

        var (job, webhook) = await PublishAsync(receiver, youtube.ConnectionId, "unlisted");

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("unlisted", job.GetProperty("result").GetProperty("privacy_status").GetString());
        Assert.Empty(job.GetProperty("result").GetProperty("warnings").EnumerateArray());
        Assert.Empty(webhook.GetProperty("data").GetProperty("job").GetProperty("result").GetProperty("warnings").EnumerateArray());
    }
}
