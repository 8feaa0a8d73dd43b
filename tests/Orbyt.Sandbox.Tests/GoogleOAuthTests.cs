using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class GoogleOAuthTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form) =>
        sandbox.Http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(form));

    [Fact]
    public async Task The_consent_page_is_an_html_form_and_clicking_Deny_redirects_with_access_denied_and_the_state()
    {
        var query = $"client_id={FlowHelpers.GoogleClientId}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&response_type=code&scope={Uri.EscapeDataString(FlowHelpers.UploadScope)}&state=xyz";
        var page = await sandbox.Http.GetStringAsync($"google-accounts/o/oauth2/v2/auth?{query}");
        Assert.Contains("<form method=\"post\"", page);
        Assert.Contains("value=\"deny\"", page);

        var form = FlowHelpers.Query(new Uri("http://x/?" + query));
        form["decision"] = "deny";
        var denied = await sandbox.Http.PostAsync("google-accounts/o/oauth2/v2/auth", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal("https://app.example.com/callback?error=access_denied&state=xyz", denied.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Clicking_Allow_with_one_scope_unticked_returns_a_code_whose_token_has_the_reduced_scope()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var form = new Dictionary<string, string>
        {
            ["client_id"] = FlowHelpers.GoogleClientId,
            ["redirect_uri"] = FlowHelpers.RedirectUri,
            ["response_type"] = "code",
            ["scope"] = $"{FlowHelpers.UploadScope} {FlowHelpers.ReadonlyScope}",
            ["state"] = "s",
            ["access_type"] = "offline",
            ["account"] = identity["google"]!["sub"]!.GetValue<string>(),
            ["granted"] = FlowHelpers.ReadonlyScope,
            ["decision"] = "allow",
        };
        var allowed = await sandbox.Http.PostAsync("google-accounts/o/oauth2/v2/auth", new FormUrlEncodedContent(form));
        var query = FlowHelpers.Query(allowed.Headers.Location!);
        Assert.Equal(FlowHelpers.ReadonlyScope, query["scope"]);
        Assert.Equal("s", query["state"]);
    }

    [Fact]
    public async Task Codes_are_single_use_and_PKCE_and_client_secrets_are_verified()
    {
        await sandbox.SettingsAsync(new { auto_consent = new { google = "identity-1" } });
        var redirect = await sandbox.Http.GetAsync(
            $"google-accounts/o/oauth2/v2/auth?client_id={FlowHelpers.GoogleClientId}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&response_type=code&scope={Uri.EscapeDataString(FlowHelpers.UploadScope)}&code_challenge=abc&code_challenge_method=plain");
        var code = FlowHelpers.Query(redirect.Headers.Location!)["code"];
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = FlowHelpers.RedirectUri,
            ["client_id"] = FlowHelpers.GoogleClientId, ["client_secret"] = "wrong", ["code_verifier"] = "abc",
        };
        var badClient = await TokenAsync(form);
        Assert.Equal(HttpStatusCode.Unauthorized, badClient.StatusCode);
        Assert.Contains("invalid_client", await badClient.Content.ReadAsStringAsync());

        form["client_secret"] = FlowHelpers.GoogleSecret;
        form["code_verifier"] = "nope";
        Assert.Contains("invalid_grant", await (await TokenAsync(form)).Content.ReadAsStringAsync());

        form["code_verifier"] = "abc";
        form.Remove("client_secret");
        form.Remove("client_id");
        using var basic = new HttpRequestMessage(HttpMethod.Post, "google-oauth2/token") { Content = new FormUrlEncodedContent(form) };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FlowHelpers.GoogleClientId}:{FlowHelpers.GoogleSecret}")));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.SendAsync(basic)).StatusCode);

        form["client_id"] = FlowHelpers.GoogleClientId;
        form["client_secret"] = FlowHelpers.GoogleSecret;
        var reused = JsonNode.Parse(await (await TokenAsync(form)).Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_grant", reused["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_token_is_issued_only_on_first_consent_or_prompt_consent_and_revoke_makes_refresh_fail()
    {
        var first = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        Assert.NotNull(first["refresh_token"]);
        var second = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        Assert.Null(second["refresh_token"]);
        var forced = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1", extra: "&access_type=offline&prompt=consent");
        Assert.NotNull(forced["refresh_token"]);

        var refreshToken = first["refresh_token"]!.GetValue<string>();
        var refresh = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
            ["client_id"] = FlowHelpers.GoogleClientId, ["client_secret"] = FlowHelpers.GoogleSecret,
        };
        var refreshed = JsonNode.Parse(await (await TokenAsync(refresh)).Content.ReadAsStringAsync())!;
        Assert.StartsWith("ya29.", refreshed["access_token"]!.GetValue<string>());
        Assert.Null(refreshed["refresh_token"]);

        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Http.GetAsync($"google-oauth2/revoke?token={refreshToken}")).StatusCode);
        var revoked = await sandbox.Http.PostAsync("google-oauth2/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshToken }));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        var failed = JsonNode.Parse(await (await TokenAsync(refresh)).Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_grant", failed["error"]!.GetValue<string>());
        Assert.Equal("Token has been expired or revoked.", failed["error_description"]!.GetValue<string>());
        var calls = (await sandbox.GetJsonAsync("_sandbox/calls"))["refresh_grants"]!;
        Assert.Equal(2, calls[refreshToken]!.GetValue<int>());
        var info = await sandbox.Http.GetAsync($"google-oauth2/tokeninfo?access_token={refreshed["access_token"]}");
        Assert.Equal(HttpStatusCode.BadRequest, info.StatusCode);
    }

    /// <summary>§5.6 tokeninfo, and the form google-auth-library's getTokenInfo() sends: POST, empty form body, token as bearer.</summary>
    [Fact]
    public async Task Tokeninfo_takes_the_token_as_a_query_parameter_a_form_field_or_a_bearer_header_on_an_empty_POST()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var token = (await FlowHelpers.GoogleTokensAsync(sandbox, identity["id"]!.GetValue<string>()))["access_token"]!.GetValue<string>();

        async Task<HttpResponseMessage> BearerAsync(string bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "google-oauth2/tokeninfo") { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded;charset=UTF-8");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return await sandbox.Http.SendAsync(request);
        }

        var answers = new[]
        {
            await BearerAsync(token),
            await sandbox.Http.GetAsync($"google-oauth2/tokeninfo?access_token={token}"),
            await sandbox.Http.PostAsync("google-oauth2/tokeninfo", new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = token })),
        };
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var info = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            Assert.Equal(FlowHelpers.GoogleClientId, info["aud"]!.GetValue<string>());
            Assert.Contains(FlowHelpers.UploadScope, info["scope"]!.GetValue<string>().Split(' '));
            Assert.InRange(int.Parse(info["expires_in"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), 3500, 3600);
        }

        var unknown = await BearerAsync("ya29.not-a-token");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("invalid_token", JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
        await sandbox.PostControlAsync("_sandbox/tokens/expire", new { token });
        Assert.Equal(HttpStatusCode.BadRequest, (await BearerAsync(token)).StatusCode);
    }

    private async Task<Dictionary<string, string>> SilentAsync(string scopes, string extra = "")
    {
        var response = await sandbox.Http.GetAsync(
            $"google-accounts/o/oauth2/v2/auth?client_id={FlowHelpers.GoogleClientId}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&response_type=code&scope={Uri.EscapeDataString(scopes)}&state=quiet&access_type=offline&prompt=none{extra}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return FlowHelpers.Query(response.Headers.Location!);
    }

    [Fact]
    public async Task Prompt_none_never_shows_a_page_login_required_without_an_account_and_consent_required_before_consent()
    {
        var nobody = await SilentAsync(FlowHelpers.UploadScope);
        Assert.Equal(("login_required", "quiet"), (nobody["error"], nobody["state"]));

        await sandbox.SettingsAsync(new { auto_consent = new { google = "identity-1" } });
        var notYet = await SilentAsync(FlowHelpers.UploadScope);
        Assert.Equal(("consent_required", "quiet"), (notYet["error"], notYet["state"]));
        Assert.False(notYet.ContainsKey("code"));
    }

    [Fact]
    public async Task Prompt_none_after_consent_returns_a_code_at_once_whose_token_has_no_new_refresh_token_and_wider_scopes_need_consent()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var email = identity["google"]!["email"]!.GetValue<string>();
        var first = await FlowHelpers.GoogleTokensAsync(sandbox, email, [FlowHelpers.UploadScope]);
        Assert.NotNull(first["refresh_token"]);
        await sandbox.SettingsAsync(new { auto_consent = new { google = (string?)null } });

        var silent = await SilentAsync(FlowHelpers.UploadScope, $"&login_hint={Uri.EscapeDataString(email)}");
        Assert.Equal(("none", FlowHelpers.UploadScope), (silent["prompt"], silent["scope"]));
        var token = await sandbox.Http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = silent["code"], ["redirect_uri"] = FlowHelpers.RedirectUri,
            ["client_id"] = FlowHelpers.GoogleClientId, ["client_secret"] = FlowHelpers.GoogleSecret,
        }));
        var body = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        Assert.StartsWith("ya29.", body["access_token"]!.GetValue<string>());
        Assert.Null(body["refresh_token"]);

        var wider = await SilentAsync($"{FlowHelpers.UploadScope} {FlowHelpers.ReadonlyScope}", $"&login_hint={Uri.EscapeDataString(email)}");
        Assert.Equal("consent_required", wider["error"]);
    }

    [Fact]
    public async Task Include_granted_scopes_adds_the_earlier_grant_to_the_new_token_and_without_it_only_the_requested_scope_is_granted()
    {
        await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1", [FlowHelpers.ReadonlyScope]);

        var incremental = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1", [FlowHelpers.UploadScope], "&access_type=offline&include_granted_scopes=true");
        Assert.Equal([FlowHelpers.ReadonlyScope, FlowHelpers.UploadScope], incremental["scope"]!.GetValue<string>().Split(' ').Order(StringComparer.Ordinal));

        var alone = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1", [FlowHelpers.UploadScope], "&access_type=offline&include_granted_scopes=false");
        Assert.Equal(FlowHelpers.UploadScope, alone["scope"]!.GetValue<string>());
    }
}
