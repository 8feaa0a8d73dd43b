using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

namespace Orbyt.IntegrationTests.Connections;

/// <summary>
/// Instagram accounts without a Facebook Page, connected with Instagram Login (issue 19, reference §14): the login
/// choice on authorize, the callback's exchanges, the credential in the vault, the login kind in the API, reconnect,
/// disconnect, isolation and the error paths.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class InstagramLoginTests(AppHostFixture fixture) : IAsyncLifetime
{
    /// <summary>An identity with one Instagram professional account and no Facebook Page, no Google account.</summary>
    public static readonly object WithoutPage = new { meta = false, google = false, instagram_without_page = 1 };

    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "iglogin");

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    private Task<JsonElement> ConnectionAsync(string id) => _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{id}?user_id={_scenario.UserId}");

    [Fact]
    public async Task An_instagram_account_without_a_page_connects_with_instagram_login_and_shows_its_login_kind()
    {
        var identity = await _scenario.NewIdentityAsync(WithoutPage);
        var igId = identity.GetProperty("instagram_accounts")[0].GetProperty("id").GetString()!;

        var start = await _scenario.StartAuthorizationAsync("instagram", login: "instagram");
        var url = new Uri(start.GetProperty("authorization_url").GetString()!);
        Assert.EndsWith("/instagram/oauth/authorize", url.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("9876543210", query["client_id"]);
        // What publishing needs, and the comment permission a first comment uses (asked, not required: docs/connections.md).
        Assert.Equal("instagram_business_basic,instagram_business_content_publish,instagram_business_manage_comments", query["scope"]);
        Assert.Equal("code", query["response_type"]);

        var returned = await _scenario.FollowToReturnUrlAsync(url.ToString());
        Assert.Equal("connected", returned["status"]);
        var connection = await ConnectionAsync(returned["connection_ids"]);
        Assert.Equal("instagram", connection.GetProperty("platform").GetString());
        Assert.Equal("instagram", connection.GetProperty("login").GetString());
        Assert.Equal("active", connection.GetProperty("status").GetString());
        Assert.Equal(igId, connection.GetProperty("account").GetProperty("id").GetString());
        Assert.Equal(identity.GetProperty("instagram_accounts")[0].GetProperty("username").GetString(), connection.GetProperty("account").GetProperty("username").GetString());
        Assert.Equal(["instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments"],
            connection.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).Order().ToArray());
        // The long-lived token's 60 days.
        var expires = connection.GetProperty("token_expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(59), TimeSpan.FromDays(61));

        // In the vault: an instagram_user credential, sealed; the token is the long-lived one (it answers /me on graph.instagram.com).
        await using var db = TestDatabase.Open(fixture);
        var credential = await db.Connections.Where(c => c.Id == Guid.Parse(returned["connection_ids"])).Select(c => c.Credential!).SingleAsync();
        Assert.Equal(CredentialKinds.InstagramUser, credential.Kind);
        Assert.Null(credential.ParentCredentialId);
        var token = TestDatabase.Vault(fixture).Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken);
        Assert.True(credential.AccessTokenCiphertext.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) < 0);
        var me = await _scenario.Sandbox.Http.GetFromJsonAsync<JsonElement>($"/graph-instagram/v24.0/me?fields=user_id&access_token={token}");
        Assert.Equal(igId, me.GetProperty("user_id").GetString());
        var listed = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}&platform=instagram");
        Assert.DoesNotContain(token, listed.GetRawText());
    }

    [Fact]
    public async Task The_login_choice_is_validated_and_facebook_stays_the_default()
    {
        await _scenario.NewIdentityAsync();
        var byDefault = new Uri((await _scenario.StartAuthorizationAsync("instagram")).GetProperty("authorization_url").GetString()!);
        Assert.Contains("/facebook/", byDefault.AbsolutePath);
        var facebook = new Uri((await _scenario.StartAuthorizationAsync("instagram", login: "facebook")).GetProperty("authorization_url").GetString()!);
        Assert.Contains("/facebook/", facebook.AbsolutePath);

        foreach (var (platform, login) in new[] { ("facebook", "instagram"), ("instagram", "google"), ("youtube", "instagram"), ("instagram", "Instagram") })
        {
            using var refused = await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/connections/{platform}/authorize",
                new { user_id = _scenario.UserId, return_url = Scenario.ReturnPrefix, login });
            var problem = await ApiProblem.AssertAsync(refused, HttpStatusCode.BadRequest, "validation_failed");
            Assert.Contains("login", problem.GetRawText());
        }
    }

    [Fact]
    public async Task Denying_or_unticking_content_publish_ends_at_the_return_url_with_its_code_and_creates_nothing()
    {
        var identity = await _scenario.Sandbox.CreateIdentityAsync(WithoutPage);
        var id = identity.GetProperty("id").GetString()!;

        await _scenario.Sandbox.AutoConsentAsync(id, deny: true);
        var denied = await _scenario.AuthorizeAsync("instagram", login: "instagram");
        Assert.Equal("error", denied["status"]);
        Assert.Equal("oauth_access_denied", denied["error_code"]);

        await _scenario.Sandbox.AutoConsentAsync(id, instagramScopes: ["instagram_business_basic"]);
        var unticked = await _scenario.AuthorizeAsync("instagram", login: "instagram");
        Assert.Equal("insufficient_permissions", unticked["error_code"]);

        var none = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}");
        Assert.Empty(none.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_failing_exchange_a_replayed_state_and_another_platforms_callback_are_refused()
    {
        await _scenario.NewIdentityAsync(WithoutPage);

        // api.instagram.com answers 500 once: the code exchange failed.
        await _scenario.Sandbox.AddFaultAsync(new { kind = "transient", platform = "meta", path_prefix = "/instagram-api/", count = 1 });
        var failed = await _scenario.AuthorizeAsync("instagram", login: "instagram");
        Assert.Equal("oauth_exchange_failed", failed["error_code"]);

        // The state is spent before any exchange: the same callback again is a replay.
        var start = await _scenario.StartAuthorizationAsync("instagram", login: "instagram");
        using var browser = new Browser();
        var callback = await browser.FollowUntilAsync(start.GetProperty("authorization_url").GetString()!, fixture.Api.BaseAddress!.ToString());
        var first = Browser.Query(await browser.FollowUntilAsync(callback.ToString(), Scenario.ReturnPrefix));
        Assert.Equal("connected", first["status"]);
        var replay = Browser.Query(await browser.FollowUntilAsync(callback.ToString(), Scenario.ReturnPrefix));
        Assert.Equal("oauth_state_replayed", replay["error_code"]);

        // An Instagram Login state on the Facebook callback.
        var other = await _scenario.StartAuthorizationAsync("instagram", login: "instagram");
        var instagramCallback = await browser.FollowUntilAsync(other.GetProperty("authorization_url").GetString()!, fixture.Api.BaseAddress!.ToString());
        var onFacebook = Browser.Query(await browser.FollowUntilAsync(instagramCallback.ToString().Replace("/v1/oauth/instagram/callback", "/v1/oauth/facebook/callback"), Scenario.ReturnPrefix));
        Assert.Equal("oauth_state_invalid", onFacebook["error_code"]);
    }

    [Fact]
    public async Task Reconnecting_keeps_one_connection_with_a_new_token_and_brings_it_back_from_reauth_required()
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram", WithoutPage, login: "instagram");
        var firstToken = await TestDatabase.ConnectionTokenAsync(fixture, account.ConnectionId);
        await using (var db = TestDatabase.Open(fixture))
        {
            await db.Connections.Where(c => c.Id == Guid.Parse(account.ConnectionId))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, "reauth_required").SetProperty(c => c.ReauthReason, "token_expired"));
        }

        var again = await _scenario.ConnectAccountAsync("instagram", login: "instagram");
        Assert.Equal(account.ConnectionId, again.ConnectionId);
        var connection = await ConnectionAsync(again.ConnectionId);
        Assert.Equal("active", connection.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("reauth_reason").ValueKind);
        Assert.NotEqual(firstToken, await TestDatabase.ConnectionTokenAsync(fixture, again.ConnectionId));
        var list = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_scenario.UserId}");
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task An_account_linked_to_a_page_switches_login_on_the_same_connection()
    {
        // The default identity shape: a Page with a linked Instagram account, which Instagram Login reaches too.
        var viaFacebook = await _scenario.ConnectNewAccountAsync("instagram");
        Assert.Equal("facebook", (await ConnectionAsync(viaFacebook.ConnectionId)).GetProperty("login").GetString());

        var viaInstagram = await _scenario.ConnectAccountAsync("instagram", login: "instagram");
        Assert.Equal(viaFacebook, viaInstagram);
        Assert.Equal("instagram", (await ConnectionAsync(viaInstagram.ConnectionId)).GetProperty("login").GetString());
        await using var db = TestDatabase.Open(fixture);
        Assert.Equal(CredentialKinds.InstagramUser,
            await db.Connections.Where(c => c.Id == Guid.Parse(viaInstagram.ConnectionId)).Select(c => c.Credential!.Kind).SingleAsync());
    }

    [Fact]
    public async Task Disconnecting_erases_the_token_without_a_platform_call_and_other_clients_never_see_the_connection()
    {
        var account = await _scenario.ConnectNewAccountAsync("instagram", WithoutPage, login: "instagram");

        var other = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/clients", new { name = "other-" + _scenario.UserId }, HttpStatusCode.Created);
        var otherClient = new ApiCaller(fixture.Api, other.GetProperty("api_key").GetProperty("key").GetString()!);
        using (var byOther = await otherClient.SendAsync(HttpMethod.Get, $"/v1/connections/{account.ConnectionId}?user_id={_scenario.UserId}"))
            await ApiProblem.AssertAsync(byOther, HttpStatusCode.NotFound, "not_found");
        using (var deleteByOther = await otherClient.SendAsync(HttpMethod.Delete, $"/v1/connections/{account.ConnectionId}?user_id={_scenario.UserId}"))
            await ApiProblem.AssertAsync(deleteByOther, HttpStatusCode.NotFound, "not_found");
        using (var byOtherUser = await _scenario.Api.SendAsync(HttpMethod.Get, $"/v1/connections/{account.ConnectionId}?user_id=someone-else"))
            await ApiProblem.AssertAsync(byOtherUser, HttpStatusCode.NotFound, "not_found");

        var before = (await _scenario.Sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().Count(p => p.Name.StartsWith("DELETE", StringComparison.Ordinal));
        var deleted = await _scenario.Api.JsonAsync(HttpMethod.Delete, $"/v1/connections/{account.ConnectionId}?user_id={_scenario.UserId}");
        Assert.Equal("revoked", deleted.GetProperty("status").GetString());
        Assert.Equal("instagram", deleted.GetProperty("login").GetString());
        // Meta documents no revocation for Instagram Login tokens: nothing is called, the token is erased here.
        var after = (await _scenario.Sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().Count(p => p.Name.StartsWith("DELETE", StringComparison.Ordinal));
        Assert.Equal(before, after);
        await using var db = TestDatabase.Open(fixture);
        var credential = await db.Credentials.SingleAsync(c => c.Kind == CredentialKinds.InstagramUser && c.Subject == account.AccountId && c.UserId == _scenario.UserId);
        Assert.Empty(credential.AccessTokenCiphertext);
        Assert.NotNull(credential.InvalidatedAt);
        Assert.Null(credential.NextCheckAt);
    }
}
