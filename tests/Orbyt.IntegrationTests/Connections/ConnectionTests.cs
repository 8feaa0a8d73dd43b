using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

namespace Orbyt.IntegrationTests.Connections;

[Collection(AppHostCollection.Name)]
public sealed class ConnectionTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const string ReturnPrefix = Scenario.ReturnPrefix;
    private Scenario _scenario = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "user");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);
    }

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_user_connects_a_facebook_page_an_instagram_account_and_a_youtube_channel_and_sees_them_active()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);

        var facebook = await ConnectAsync("facebook");
        var instagram = await ConnectAsync("instagram");
        var youtube = await ConnectAsync("youtube");

        Assert.Equal("connected", facebook["status"]);
        Assert.Equal(2, facebook["connection_ids"].Split(',').Length); // the default identity manages two Pages
        Assert.Equal("connected", instagram["status"]);
        Assert.Equal("connected", youtube["status"]);

        var list = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_userId}");
        var connections = list.GetProperty("data").EnumerateArray().ToArray();
        Assert.Equal(4, connections.Length);
        Assert.All(connections, c =>
        {
            Assert.Equal("active", c.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("account").GetProperty("name").GetString()));
            Assert.Equal(JsonValueKind.String, c.GetProperty("token_expires_at").ValueKind);
            Assert.False(c.TryGetProperty("access_token", out _));
        });

        var pages = identity.GetProperty("meta").GetProperty("pages").EnumerateArray().ToArray();
        var ig = connections.Single(c => c.GetProperty("platform").GetString() == "instagram");
        Assert.Equal(pages[0].GetProperty("instagram_business_account").GetProperty("id").GetString(), ig.GetProperty("account").GetProperty("id").GetString());
        var yt = connections.Single(c => c.GetProperty("platform").GetString() == "youtube");
        Assert.Equal(identity.GetProperty("google").GetProperty("channel").GetProperty("id").GetString(), yt.GetProperty("account").GetProperty("id").GetString());
        Assert.Equal(identity.GetProperty("google").GetProperty("channel").GetProperty("title").GetString(), yt.GetProperty("account").GetProperty("name").GetString());

        var one = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{yt.GetProperty("id").GetString()}?user_id={_userId}");
        Assert.Equal("youtube", one.GetProperty("platform").GetString());

        await using var db = TestDatabase.Open(fixture);
        var ids = connections.Select(c => Guid.Parse(c.GetProperty("id").GetString()!)).ToArray();
        var events = await db.WebhookEvents.Where(e => e.Type == "connection.connected").Select(e => e.Payload).ToListAsync();
        foreach (var id in ids)
            Assert.Contains(events, p => p.RootElement.GetProperty("data").GetProperty("connection").GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Denying_consent_ends_at_the_return_url_with_access_denied_and_creates_nothing()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!, deny: true);

        foreach (var platform in new[] { "facebook", "youtube" })
        {
            var result = await ConnectAsync(platform);
            Assert.Equal("error", result["status"]);
            Assert.Equal("oauth_access_denied", result["error_code"]);
        }
        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task Missing_permissions_end_at_the_return_url_with_insufficient_permissions()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!,
            metaScopes: ["pages_show_list", "pages_read_engagement"],
            googleScopes: ["https://www.googleapis.com/auth/youtube.readonly"]);

        foreach (var platform in new[] { "facebook", "instagram", "youtube" })
        {
            var result = await ConnectAsync(platform);
            Assert.Equal("insufficient_permissions", result["error_code"]);
        }
        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task A_google_account_without_a_channel_is_a_clear_error()
    {
        var identity = await _sandbox.CreateIdentityAsync(new { youtube_channel = false });
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);

        var result = await ConnectAsync("youtube");

        Assert.Equal("youtube_channel_required", result["error_code"]);
        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task A_replayed_state_is_refused_without_exchanging_the_code()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var callback = await CallbackUrlAsync("facebook");

        var first = await _scenario.FollowToReturnUrlAsync(callback.ToString());
        var exchangesBefore = await CodeExchangesAsync();
        var replay = await _scenario.FollowToReturnUrlAsync(callback.ToString());

        Assert.Equal("connected", first["status"]);
        Assert.Equal("oauth_state_replayed", replay["error_code"]);
        Assert.Equal(exchangesBefore, await CodeExchangesAsync());
    }

    [Fact]
    public async Task An_expired_state_is_refused_without_exchanging_the_code()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var callback = await CallbackUrlAsync("youtube");
        await using (var db = TestDatabase.Open(fixture))
        {
            await db.OAuthStates.Where(s => s.UserId == _userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }
        var exchangesBefore = await CodeExchangesAsync();

        var result = await _scenario.FollowToReturnUrlAsync(callback.ToString());

        Assert.Equal("oauth_state_expired", result["error_code"]);
        Assert.Equal(exchangesBefore, await CodeExchangesAsync());
        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task A_state_used_with_another_platforms_callback_is_refused()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var callback = await CallbackUrlAsync("facebook");
        var crossed = callback.ToString().Replace("/v1/oauth/facebook/callback", "/v1/oauth/youtube/callback");

        var result = await _scenario.FollowToReturnUrlAsync(crossed);

        Assert.Equal("oauth_state_invalid", result["error_code"]);
        await AssertNoConnectionsAsync();
    }

    [Fact]
    public async Task A_forged_state_is_a_problem_and_redirects_nowhere()
    {
        using var response = await fixture.Api.GetAsync("/v1/oauth/facebook/callback?code=abc&state=forged-state-value");

        await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "oauth_state_invalid");
    }

    [Theory]
    [InlineData("https://evil.example/connected/")]
    [InlineData("https://app.orbyt.test.evil.example/connected/")]
    [InlineData("https://app.orbyt.test/other/")]
    [InlineData("http://app.orbyt.test/connected/")]
    [InlineData("/connected/")]
    public async Task A_return_url_outside_the_allow_list_is_refused(string returnUrl)
    {
        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/connections/facebook/authorize", new { user_id = _userId, return_url = returnUrl });

        await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "return_url_not_allowed");
    }

    [Fact]
    public async Task An_unknown_platform_is_refused()
    {
        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/connections/tiktok/authorize", new { user_id = _userId, return_url = ReturnPrefix });

        await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "unsupported_platform");
    }

    [Fact]
    public async Task Another_client_or_another_user_gets_404_for_a_connection()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var id = (await ConnectAsync("youtube"))["connection_ids"];

        var other = await _api.JsonAsync(HttpMethod.Post, "/v1/clients", new { name = "other-" + _userId }, HttpStatusCode.Created);
        var otherClient = new ApiCaller(fixture.Api, other.GetProperty("api_key").GetProperty("key").GetString()!);

        using var byOtherClient = await otherClient.SendAsync(HttpMethod.Get, $"/v1/connections/{id}?user_id={_userId}");
        await ApiProblem.AssertAsync(byOtherClient, HttpStatusCode.NotFound, "not_found");
        using var deleteByOtherClient = await otherClient.SendAsync(HttpMethod.Delete, $"/v1/connections/{id}?user_id={_userId}");
        await ApiProblem.AssertAsync(deleteByOtherClient, HttpStatusCode.NotFound, "not_found");
        var listedByOther = await otherClient.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_userId}");
        Assert.Empty(listedByOther.GetProperty("data").EnumerateArray());

        using var byOtherUser = await _api.SendAsync(HttpMethod.Get, $"/v1/connections/{id}?user_id=someone-else");
        await ApiProblem.AssertAsync(byOtherUser, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Reconnecting_updates_the_connection_and_brings_it_back_from_reauth_required()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var first = (await ConnectAsync("youtube"))["connection_ids"];
        await using (var db = TestDatabase.Open(fixture))
        {
            await db.Connections.Where(c => c.Id == Guid.Parse(first))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, "reauth_required").SetProperty(c => c.ReauthReason, "invalid_grant"));
        }

        var second = (await ConnectAsync("youtube"))["connection_ids"];

        Assert.Equal(first, second);
        var list = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_userId}");
        var only = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("active", only.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("reauth_reason").ValueKind);
    }

    [Fact]
    public async Task Deleting_a_youtube_connection_revokes_the_grant_at_google_and_erases_the_tokens()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var id = Guid.Parse((await ConnectAsync("youtube"))["connection_ids"]);
        string refreshToken;
        await using (var db = TestDatabase.Open(fixture))
        {
            var credential = await db.Connections.Where(c => c.Id == id).Select(c => c.Credential!).SingleAsync();
            refreshToken = TestDatabase.Vault(fixture).Unprotect(credential.RefreshTokenCiphertext!, VaultPurposes.RefreshToken);
        }

        var deleted = await _api.JsonAsync(HttpMethod.Delete, $"/v1/connections/{id}?user_id={_userId}");

        Assert.Equal("revoked", deleted.GetProperty("status").GetString());
        using var refresh = await fixture.Sandbox.PostAsync("/google-oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
            ["client_id"] = "sandbox-client.apps.googleusercontent.com", ["client_secret"] = "sandbox-google-secret",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Contains("invalid_grant", await refresh.Content.ReadAsStringAsync());

        await using var after = TestDatabase.Open(fixture);
        var connection = await after.Connections.SingleAsync(c => c.Id == id);
        Assert.Null(connection.CredentialId);
        var credentials = await after.Credentials.Where(c => c.UserId == _userId).ToListAsync();
        Assert.All(credentials, c =>
        {
            Assert.Empty(c.AccessTokenCiphertext);
            Assert.Null(c.RefreshTokenCiphertext);
        });
        Assert.True(await after.WebhookEvents.AnyAsync(e => e.Type == "connection.revoked" && e.Payload.RootElement.GetProperty("data").GetProperty("connection").GetProperty("id").GetGuid() == id));
    }

    [Fact]
    public async Task Deleting_the_last_facebook_page_removes_the_apps_permissions_at_meta()
    {
        var identity = await _sandbox.CreateIdentityAsync(new { pages = 1, instagram = false });
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var id = (await ConnectAsync("facebook"))["connection_ids"];
        string userToken;
        await using (var db = TestDatabase.Open(fixture))
        {
            var user = await db.Credentials.SingleAsync(c => c.UserId == _userId && c.Kind == CredentialKinds.MetaUser);
            userToken = TestDatabase.Vault(fixture).Unprotect(user.AccessTokenCiphertext, VaultPurposes.AccessToken);
        }
        using (var before = await fixture.Sandbox.GetAsync($"/graph/v24.0/me?access_token={Uri.EscapeDataString(userToken)}&appsecret_proof={SandboxControl.MetaProof(userToken)}"))
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await _api.JsonAsync(HttpMethod.Delete, $"/v1/connections/{id}?user_id={_userId}");

        using var afterDelete = await fixture.Sandbox.GetAsync($"/graph/v24.0/me?access_token={Uri.EscapeDataString(userToken)}&appsecret_proof={SandboxControl.MetaProof(userToken)}");
        var body = await afterDelete.Content.ReadAsStringAsync();
        Assert.Contains("\"code\":190", body);
    }

    [Fact]
    public async Task The_database_holds_no_plaintext_token()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        await ConnectAsync("facebook");
        await ConnectAsync("youtube");

        // Open every stored token with the vault key, prove each one works at the sandbox, then search the raw rows for it.
        var vault = TestDatabase.Vault(fixture);
        var tokens = new List<string>();
        await using (var db = TestDatabase.Open(fixture))
        {
            foreach (var c in await db.Credentials.Where(c => c.UserId == _userId).ToListAsync())
            {
                tokens.Add(vault.Unprotect(c.AccessTokenCiphertext, VaultPurposes.AccessToken));
                if (c.RefreshTokenCiphertext is not null) tokens.Add(vault.Unprotect(c.RefreshTokenCiphertext, VaultPurposes.RefreshToken));
            }
        }
        Assert.True(tokens.Count >= 4);
        Assert.Contains(tokens, t => t.StartsWith("EAAG", StringComparison.Ordinal));
        Assert.Contains(tokens, t => t.StartsWith("ya29.", StringComparison.Ordinal));
        Assert.Contains(tokens, t => t.StartsWith("1//", StringComparison.Ordinal));

        string[] tables;
        await using (var db = TestDatabase.Open(fixture))
            tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct().ToArray();
        var dump = new StringBuilder();
        await using (var connection = new NpgsqlConnection(fixture.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            foreach (var table in tables)
            {
                await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) dump.AppendLine(reader.GetString(0));
            }
        }
        var raw = dump.ToString();
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(token)), raw, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>The whole OAuth flow, checking what every flow promises: a state that has not expired, and the return URL with its own query and the platform.</summary>
    private async Task<Dictionary<string, string>> ConnectAsync(string platform)
    {
        var start = await _scenario.StartAuthorizationAsync(platform, ReturnPrefix + "?from=test");
        Assert.True(start.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var query = await _scenario.FollowToReturnUrlAsync(start.GetProperty("authorization_url").GetString()!);
        Assert.Equal("test", query["from"]);
        Assert.Equal(platform, query["platform"]);
        return query;
    }

    /// <summary>Runs the consent up to the platform's redirect to our callback, without following it.</summary>
    private async Task<Uri> CallbackUrlAsync(string platform)
    {
        var start = await _scenario.StartAuthorizationAsync(platform);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await http.GetAsync(start.GetProperty("authorization_url").GetString());
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var callback = consent.Headers.Location!;
        Assert.Contains($"/v1/oauth/{platform}/callback", callback.ToString());
        return new Uri(callback.GetLeftPart(UriPartial.Query));
    }

    private async Task<int> CodeExchangesAsync()
    {
        var calls = await _sandbox.CallsAsync();
        return calls.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.Contains("oauth/access_token", StringComparison.Ordinal) || p.Name == "POST /google-oauth2/token")
            .Sum(p => p.Value.GetInt32());
    }

    private async Task AssertNoConnectionsAsync()
    {
        var list = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={_userId}");
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }
}
