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

    [Fact]
    public async Task Pages_owned_through_a_portfolio_and_client_pages_connect_and_publish_though_me_accounts_lists_none()
    {
        // §11.1/§11.4: nothing in /me/accounts; the portfolio's owned and client Pages with a task connect; a Page the
        // person has no task on does not.
        var identity = await _scenario.NewIdentityAsync(new { pages = 0, business_pages = 1, client_pages = 1, business_pages_without_task = 1 });
        var business = identity.GetProperty("meta").GetProperty("businesses")[0];
        var owned = business.GetProperty("owned_pages").EnumerateArray().ToArray();
        var client = business.GetProperty("client_pages")[0];

        var ids = await _scenario.ConnectAsync("facebook");
        var accounts = await AccountIdsAsync(ids);
        Assert.Equal(new[] { owned[0].GetProperty("id").GetString(), client.GetProperty("id").GetString() }.Order(), accounts.Order());
        Assert.DoesNotContain(owned[1].GetProperty("id").GetString(), accounts);

        var instagram = await AccountIdsAsync(await _scenario.ConnectAsync("instagram"));
        Assert.Equal(new[]
        {
            owned[0].GetProperty("instagram_business_account").GetProperty("id").GetString(),
            client.GetProperty("instagram_business_account").GetProperty("id").GetString(),
        }.Order(), instagram.Order());

        // The Page token found through the portfolio publishes, and so does the Instagram account behind it (ads_read, §11.7).
        var pageConnection = (await ConnectionsAsync()).Single(c => c.Platform == "facebook" && c.AccountId == owned[0].GetProperty("id").GetString()).Id;
        var photo = await _scenario.WaitForJobToFinishAsync(await _scenario.PublishAsync(pageConnection, "image", _sandbox.Url("_sandbox/media/image.jpg"), "portfolio"));
        Assert.True(photo.GetProperty("status").GetString() == "published", photo.ToString());
        var igConnection = (await ConnectionsAsync()).Single(c => c.Platform == "instagram" && c.AccountId == instagram[0]).Id;
        var post = await _scenario.WaitForJobToFinishAsync(await _scenario.PublishAsync(igConnection, "image", _sandbox.Url("_sandbox/media/image.jpg"), "portfolio"),
            clock: SandboxClockMove.WhilePlatformProcessing);
        Assert.True(post.GetProperty("status").GetString() == "published", post.ToString());
    }

    [Fact]
    public async Task A_mix_of_own_and_portfolio_pages_connects_every_page_once_and_instagram_through_a_portfolio_needs_ads_read()
    {
        var identity = await _scenario.NewIdentityAsync(new { pages = 1, business_pages = 1 });
        var own = identity.GetProperty("meta").GetProperty("pages")[0];
        var portfolio = identity.GetProperty("meta").GetProperty("businesses")[0].GetProperty("owned_pages")[0];

        var pages = await AccountIdsAsync(await _scenario.ConnectAsync("facebook"));
        Assert.Equal(new[] { own.GetProperty("id").GetString(), portfolio.GetProperty("id").GetString() }.Order(), pages.Order());

        // Without ads_read the Instagram account behind the portfolio Page cannot publish (§11.7): only the own Page's is connected.
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!,
            metaScopes: ["instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement", "business_management"]);
        var instagram = await AccountIdsAsync(await _scenario.ConnectAsync("instagram"));
        Assert.Equal([own.GetProperty("instagram_business_account").GetProperty("id").GetString()!], instagram);
    }

    [Fact]
    public async Task The_dialog_asks_for_business_management_not_publish_video_and_rerequests_after_a_declined_permission()
    {
        // §1.1: a permission unticked on re-consent is declined (item 9), and Meta asks for it again only with auth_type=rerequest.
        var identity = await _scenario.NewIdentityAsync(new { pages = 1, instagram = false });
        var first = new Uri((await _scenario.StartAuthorizationAsync("facebook")).GetProperty("authorization_url").GetString()!);
        var scope = Browser.Query(first)["scope"].Split(',');
        Assert.Contains("business_management", scope);
        Assert.DoesNotContain("publish_video", scope);
        Assert.False(Browser.Query(first).ContainsKey("auth_type"));
        await _scenario.ConnectAsync("facebook");

        // Reconnect, this time unticking pages_manage_posts: Meta records it as declined, so the connect fails.
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!, metaScopes: ["pages_show_list", "pages_read_engagement", "business_management"]);
        var declined = await _scenario.AuthorizeAsync("facebook");
        Assert.Equal("insufficient_permissions", declined.GetValueOrDefault("error_code"));

        // The person is ready to grant it again: the next dialog carries auth_type=rerequest, so Meta asks and the connect works.
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var again = await _scenario.StartAuthorizationAsync("facebook");
        var url = again.GetProperty("authorization_url").GetString()!;
        Assert.Equal("rerequest", Browser.Query(new Uri(url))["auth_type"]);
        var reconnected = await _scenario.FollowToReturnUrlAsync(url);
        Assert.True(reconnected.GetValueOrDefault("status") == "connected", string.Join("&", reconnected.Select(kv => kv.Key + "=" + kv.Value)));

        // Once nothing is declined, the dialog stops re-asking.
        var after = new Uri((await _scenario.StartAuthorizationAsync("facebook")).GetProperty("authorization_url").GetString()!);
        Assert.False(Browser.Query(after).ContainsKey("auth_type"));
    }

    private async Task<string[]> AccountIdsAsync(string[] connectionIds)
    {
        var all = await ConnectionsAsync();
        return connectionIds.Select(id => all.Single(c => c.Id == id).AccountId).ToArray();
    }

    private async Task<(string Id, string Platform, string AccountId)[]> ConnectionsAsync() =>
        (await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}")).GetProperty("data").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("platform").GetString()!, c.GetProperty("account").GetProperty("id").GetString()!))
            .ToArray();
}
