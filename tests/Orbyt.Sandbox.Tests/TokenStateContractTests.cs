using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>The control API's token faults: invalidate, expire and revoke, seen through the platforms' own envelopes (Graph, Google OAuth, YouTube).</summary>
[Collection(SandboxCollection.Name)]
public sealed class TokenStateContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> ChannelsAsync(string accessToken) => sandbox.BearerGetAsync("youtube/youtube/v3/channels?part=id&mine=true", accessToken);

    private async Task<JsonNode> RefreshAsync(string refreshToken)
    {
        var response = await sandbox.Http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
            ["client_id"] = FlowHelpers.GoogleClientId, ["client_secret"] = FlowHelpers.GoogleSecret,
        }));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Theory]
    [InlineData(458)]
    [InlineData(459)]
    [InlineData(460)]
    [InlineData(463)]
    [InlineData(464)]
    [InlineData(467)]
    [InlineData(492)]
    public async Task An_invalidated_meta_token_gets_the_exact_190_envelope_with_that_subcode_on_its_next_call(int subcode)
    {
        var (token, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={token}")).StatusCode);
        await sandbox.PostControlAsync("_sandbox/tokens/invalidate", new { token, subcode });

        var response = await sandbox.Http.GetAsync($"graph/v24.0/{pageId}?fields=name&access_token={token}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.AsObject();
        Assert.Equal(["code", "error_subcode", "fbtrace_id", "message", "type"], error.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(190, error["code"]!.GetValue<int>());
        Assert.Equal(subcode, error["error_subcode"]!.GetValue<int>());
        Assert.Equal("OAuthException", error["type"]!.GetValue<string>());
        Assert.StartsWith("Error validating access token", error["message"]!.GetValue<string>());
        Assert.Matches("^[A-Za-z0-9_]{11}$", error["fbtrace_id"]!.GetValue<string>());

        var debug = (await sandbox.GetJsonAsync($"graph/v24.0/debug_token?input_token={token}&access_token={FlowHelpers.MetaAppId}|{FlowHelpers.MetaSecret}"))["data"]!;
        Assert.False(debug["is_valid"]!.GetValue<bool>());
        Assert.Equal(subcode, debug["error"]!["subcode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Invalidating_refuses_a_subcode_meta_does_not_use_for_tokens_and_an_unknown_token()
    {
        var (token, _, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var wrongSubcode = await sandbox.Http.PostAsJsonAsync("_sandbox/tokens/invalidate", new { token, subcode = 2207026 }, SandboxFixture.Snake);
        Assert.Equal(HttpStatusCode.BadRequest, wrongSubcode.StatusCode);
        var unknown = await sandbox.Http.PostAsJsonAsync("_sandbox/tokens/invalidate", new { token = "EAAGnope", subcode = 460 }, SandboxFixture.Snake);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={token}")).StatusCode);
    }

    [Fact]
    public async Task An_appsecret_proof_is_verified_when_given_and_required_only_when_the_app_requires_it()
    {
        var (token, _, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var proof = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(FlowHelpers.MetaSecret), System.Text.Encoding.UTF8.GetBytes(token)));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={token}&appsecret_proof={proof}")).StatusCode);
        var wrong = await sandbox.GetJsonAsync($"graph/v24.0/me?access_token={token}&appsecret_proof={new string('0', 64)}");
        Assert.Equal(100, FlowHelpers.GraphError(wrong).Code);
        Assert.Equal("Invalid appsecret_proof provided in the API argument", wrong["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={token}")).StatusCode);

        await sandbox.SettingsAsync(new { meta_require_appsecret_proof = true });
        var missing = await sandbox.GetJsonAsync($"graph/v24.0/me?access_token={token}");
        Assert.Equal("API calls from the server require an appsecret_proof argument", missing["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={token}&appsecret_proof={proof}")).StatusCode);
    }

    [Fact]
    public async Task Revoking_an_identitys_meta_grant_turns_its_user_and_page_tokens_into_190_458()
    {
        var (token, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, token, pageId);
        var revoked = await sandbox.PostControlAsync("_sandbox/identities/identity-1/revoke", new { platform = "meta" });
        Assert.Equal(1, revoked["revoked_grants"]!.GetValue<int>());

        Assert.Equal((190, 458), FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph/v24.0/me?access_token={token}")));
        var feed = await sandbox.PostGraphAsync($"{pageId}/feed", new() { ["message"] = "after revoke", ["access_token"] = pageToken });
        Assert.Equal((190, 458), FlowHelpers.GraphError(feed));
    }

    [Fact]
    public async Task Revoking_an_identitys_google_grant_fails_its_refresh_with_invalid_grant_and_its_access_token_with_401()
    {
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        await sandbox.PostControlAsync("_sandbox/identities/identity-1/revoke", new { platform = "google" });

        var refresh = await RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal("invalid_grant", refresh["error"]!.GetValue<string>());
        var call = await ChannelsAsync(tokens["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        Assert.Contains("\"authError\"", await call.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_expired_google_access_token_is_401_until_refreshed_and_an_expired_refresh_token_is_invalid_grant()
    {
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        var access = tokens["access_token"]!.GetValue<string>();
        var refreshToken = tokens["refresh_token"]!.GetValue<string>();
        await sandbox.PostControlAsync("_sandbox/tokens/expire", new { token = access });
        Assert.Equal(HttpStatusCode.Unauthorized, (await ChannelsAsync(access)).StatusCode);

        var fresh = (await RefreshAsync(refreshToken))["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await ChannelsAsync(fresh)).StatusCode);

        await sandbox.PostControlAsync("_sandbox/tokens/expire", new { token = refreshToken });
        var expired = await RefreshAsync(refreshToken);
        Assert.Equal("invalid_grant", expired["error"]!.GetValue<string>());
        Assert.Equal("Token has been expired or revoked.", expired["error_description"]!.GetValue<string>());
    }
}
