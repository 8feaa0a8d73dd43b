using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;

namespace Orbyt.IntegrationTests.Webhooks;

/// <summary>
/// Every event type, emitted by the real features (connect, publish, a dead grant, a lapsing Meta grant,
/// disconnect), reaches a receiver that verifies each delivery with the StandardWebhooks library.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookFlowTests(AppHostFixture fixture)
{
    private const string ReturnPrefix = Scenario.ReturnPrefix;

    [Fact]
    public async Task Events_from_real_flows_reach_a_verifying_receiver()
    {
        var (api, userId, identityId) = await NewClientAsync("flows");
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await api.JsonAsync(HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url(), description = "flows" }, HttpStatusCode.Created);
        receiver.Secrets["endpoint"] = endpoint.GetProperty("secret").GetString()!;

        // connection.connected
        using var scenario = new Scenario(fixture, api, userId);
        var sandbox = scenario.Sandbox;
        async Task<string> ConnectAsync(string platform) => string.Join(',', await scenario.ConnectAsync(platform));
        // The Meta grant's data-access window will lapse in five days: inside the refresher's notice period.
        // Five days on our clock (the refresher's): the sandbox clock may run ahead after earlier tests.
        await sandbox.SettingsAsync(new { meta_data_access_days = await sandbox.MetaDataAccessDaysLapsingInAsync(5) });
        string page;
        try
        {
            page = await ConnectAsync("facebook");
        }
        finally
        {
            await sandbox.SettingsAsync(new { meta_data_access_days = 90 });
        }
        var channel = await ConnectAsync("youtube");

        // job.published + publication.completed, also to the publication's callback_url
        var image = new Uri(fixture.Sandbox.BaseAddress!, "_sandbox/media/image.jpg").ToString();
        await api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = userId, targets = new[] { new { connection_id = page } }, media = new { type = "image", url = image },
            caption = "flow", callback_url = receiver.Url("/callback"),
        }, HttpStatusCode.Accepted);
        await EventuallyAsync(() => Types(receiver).Contains("publication.completed"), "publication.completed");

        // connection.reauth_required + job.failed: the Google grant dies, the next upload finds out.
        (await fixture.Sandbox.PostAsync($"/_sandbox/identities/{identityId}/revoke", new StringContent("{\"platform\":\"google\"}", System.Text.Encoding.UTF8, "application/json"))).Dispose();
        await using (var db = TestDatabase.Open(fixture))
        {
            await db.Credentials.Where(c => c.UserId == userId && c.Kind == CredentialKinds.Google)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        using var asset = await fixture.Sandbox.PostAsync("/_sandbox/mux/assets", new StringContent("{\"size_bytes\":1048576}", System.Text.Encoding.UTF8, "application/json"));
        var videoUrl = JsonDocument.Parse(await asset.Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString();
        await api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = userId, targets = new[] { new { connection_id = channel } }, media = new { type = "video", url = videoUrl }, title = "dead grant",
        }, HttpStatusCode.Accepted);
        await EventuallyAsync(() => Types(receiver).Contains("job.failed") && Types(receiver).Contains("connection.reauth_required"), "job.failed and connection.reauth_required");

        // connection.expiring: make the Meta credentials due now; the deployed refresher notices the lapse ahead.
        await using (var db = TestDatabase.Open(fixture))
        {
            await db.Credentials.Where(c => c.UserId == userId && (c.Kind == CredentialKinds.MetaUser || c.Kind == CredentialKinds.MetaPage))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextCheckAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        await EventuallyAsync(() => Types(receiver).Contains("connection.expiring"), "connection.expiring", TimeSpan.FromSeconds(90));

        // connection.revoked
        await api.JsonAsync(HttpMethod.Delete, $"/v1/connections/{page}?user_id={userId}");
        await EventuallyAsync(() => Types(receiver).Contains("connection.revoked"), "connection.revoked");

        var atEndpoint = receiver.Received.Where(r => r.Path == "/hooks").ToArray();
        foreach (var type in new[] { "connection.connected", "job.published", "publication.completed", "job.failed", "connection.reauth_required", "connection.expiring", "connection.revoked" })
            Assert.Contains(type, atEndpoint.Select(r => r.Type));
        Assert.All(receiver.Received, r => Assert.True(r.Verified, $"{r.Type} at {r.Path} did not verify"));
        Assert.Contains(receiver.Received, r => r.Path == "/callback" && r.Type == "job.published");
        var failed = atEndpoint.First(r => r.Type == "job.failed").Json.GetProperty("data").GetProperty("job");
        Assert.True(failed.GetProperty("error").GetProperty("reauth_required").GetBoolean());
    }

    [Fact]
    public async Task A_jobs_events_are_recorded_only_when_the_client_has_an_endpoint_to_receive_them()
    {
        var (api, userId, _) = await NewClientAsync("quiet");
        using var scenario = new Scenario(fixture, api, userId);
        var page = string.Join(',', await scenario.ConnectAsync("facebook"));
        var image = new Uri(fixture.Sandbox.BaseAddress!, "_sandbox/media/image.jpg").ToString();
        async Task<(string Status, int Events)> PublishAsync()
        {
            var publication = await api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = userId, targets = new[] { new { connection_id = page } }, media = new { type = "image", url = image }, caption = "quiet",
            }, HttpStatusCode.Accepted);
            var id = publication.GetProperty("id").GetString()!;
            var status = (await scenario.WaitForPublicationAsync(id, TimeSpan.FromSeconds(60))).GetProperty("status").GetString()!;
            await using var db = TestDatabase.Open(fixture);
            var events = await db.WebhookEvents.CountAsync(e => e.Payload.RootElement.GetProperty("data").GetProperty("publication_id").GetString() == id);
            return (status, events);
        }

        // Nobody to tell: the publication completes, and no event is kept.
        Assert.Equal(("published", 0), await PublishAsync());

        // With an endpoint: job.published and publication.completed.
        await using var receiver = await WebhookReceiver.StartAsync();
        await api.JsonAsync(HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url(), description = "quiet" }, HttpStatusCode.Created);
        Assert.Equal(("published", 2), await PublishAsync());
    }

    /// <summary>A fresh API client (no endpoints yet), a user id, and a sandbox identity with one Page that consents at once.</summary>
    private async Task<(ApiCaller Api, string UserId, string IdentityId)> NewClientAsync(string name)
    {
        var admin = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        var created = await admin.JsonAsync(HttpMethod.Post, "/v1/clients", new { name = name + "-" + Guid.NewGuid().ToString("N")[..8], allowed_return_urls = new[] { ReturnPrefix } }, HttpStatusCode.Created);
        var sandbox = new SandboxControl(fixture.Sandbox);
        var identity = await sandbox.CreateIdentityAsync(new { pages = 1, instagram = false });
        var identityId = identity.GetProperty("id").GetString()!;
        await sandbox.AutoConsentAsync(identityId);
        return (new ApiCaller(fixture.Api, created.GetProperty("api_key").GetProperty("key").GetString()!), name + "-" + Guid.NewGuid().ToString("N")[..8], identityId);
    }

    private static string[] Types(WebhookReceiver receiver) => receiver.Received.Select(r => r.Type).ToArray();

    private static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(condition, what, timeout ?? TimeSpan.FromSeconds(60));
}
