using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Connections;

/// <summary>
/// Facebook Login as Meta runs it (docs/connections.md): appsecret_proof on every Graph call, the permissions and
/// configuration the dialog asks for, declined permissions, and Pages reached through a Business Portfolio.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class MetaLoginTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;
    private SandboxControl _sandbox = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "login");
        _sandbox = _scenario.Sandbox;
    }

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task With_require_app_secret_on_connect_and_publish_work_because_every_graph_call_carries_its_proof()
    {
        // The AppHost starts the sandbox's Meta app with "Require App Secret" on (§17.5); set it again in case a test turned it off.
        await _sandbox.SettingsAsync(new { meta_require_appsecret_proof = true });
        var page = await _scenario.ConnectNewAccountAsync("facebook");
        var instagram = await _scenario.ConnectAccountAsync("instagram");

        var facebookJob = await _scenario.WaitForJobToFinishAsync(await _scenario.PublishAsync(page.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"), "proof"));
        var instagramJob = await _scenario.WaitForJobToFinishAsync(await _scenario.PublishAsync(instagram.ConnectionId, "image", _sandbox.Url("_sandbox/media/image.jpg"), "proof"),
            clock: SandboxClockMove.WhilePlatformProcessing);

        Assert.True(facebookJob.GetProperty("status").GetString() == "published", facebookJob.ToString());
        Assert.True(instagramJob.GetProperty("status").GetString() == "published", instagramJob.ToString());
        // The requirement is live: the same Page token without its proof is refused.
        var pageToken = await TestDatabase.ConnectionTokenAsync(fixture, page.ConnectionId);
        using var bare = await fixture.Sandbox.GetAsync($"/graph/v24.0/{page.AccountId}?fields=name&access_token={Uri.EscapeDataString(pageToken)}");
        var refused = await bare.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Equal("API calls from the server require an appsecret_proof argument", refused.GetProperty("error").GetProperty("message").GetString());
        using var proven = await fixture.Sandbox.GetAsync($"/graph/v24.0/{page.AccountId}?fields=name&access_token={Uri.EscapeDataString(pageToken)}&appsecret_proof={SandboxControl.MetaProof(pageToken)}");
        Assert.Equal(HttpStatusCode.OK, proven.StatusCode);
    }
}
