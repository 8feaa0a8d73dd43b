using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Instagram API with Instagram Login (reference §14, §3.8): an Instagram professional account with no Facebook Page.</summary>
[Collection(SandboxCollection.Name)]
public sealed class InstagramLoginContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public const string AppId = "9876543210";
    public const string Secret = "sandbox-instagram-secret";
    private const string Scopes = "instagram_business_basic,instagram_business_content_publish";

    private string _igId = "";
    private string _identity = "";

    public async Task InitializeAsync()
    {
        await sandbox.ResetAsync();
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { name = "Solo Creator", meta = false, google = false, instagram_without_page = 1, instagram_account_type = "MEDIA_CREATOR" });
        _identity = identity["id"]!.GetValue<string>();
        var account = identity["instagram_accounts"]![0]!;
        Assert.Null(account["page_id"]);
        _igId = account["id"]!.GetValue<string>();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string AuthorizePath(string scope = Scopes, string clientId = AppId) =>
        $"instagram/oauth/authorize?client_id={clientId}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&response_type=code&scope={scope}&state=s1";

    private async Task<string> CodeAsync(string[]? scopes = null)
    {
        await sandbox.SettingsAsync(new { auto_consent = new { instagram = _identity, instagram_scopes = scopes } });
        var response = await sandbox.Http.GetAsync(AuthorizePath());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.EndsWith("#_", location);
        return FlowHelpers.Query(new Uri(location))["code"];
    }

    private Task<HttpResponseMessage> ExchangeAsync(string code, string redirectUri = FlowHelpers.RedirectUri, string secret = Secret) =>
        sandbox.Http.PostAsync("instagram-api/oauth/access_token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = AppId, ["client_secret"] = secret, ["grant_type"] = "authorization_code", ["redirect_uri"] = redirectUri, ["code"] = code,
        }));

    private async Task<string> ShortLivedAsync(string[]? scopes = null)
    {
        var response = await ExchangeAsync(await CodeAsync(scopes));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return body["data"]![0]!["access_token"]!.GetValue<string>();
    }

    private async Task<string> LongLivedAsync(string[]? scopes = null)
    {
        var body = await sandbox.GetJsonAsync($"graph-instagram/access_token?grant_type=ig_exchange_token&client_secret={Secret}&access_token={await ShortLivedAsync(scopes)}");
        return body["access_token"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_authorization_window_asks_for_business_scopes_and_sends_back_a_code_with_a_fragment_or_the_documented_denial()
    {
        // §14.1: the Instagram App ID, instagram_business_basic required, business_* retired.
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Http.GetAsync(AuthorizePath(clientId: "1234567890"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Http.GetAsync(AuthorizePath("business_basic,business_content_publish"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Http.GetAsync(AuthorizePath("instagram_business_content_publish"))).StatusCode);

        var page = await (await sandbox.Http.GetAsync(AuthorizePath())).Content.ReadAsStringAsync();
        Assert.Contains(_igId, page);
        Assert.Contains("no Facebook Page", page);

        var allowed = await sandbox.Http.PostAsync("instagram/oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = AppId, ["redirect_uri"] = FlowHelpers.RedirectUri, ["state"] = "s1", ["scope"] = Scopes, ["ig_user_id"] = _igId,
            ["granted"] = "instagram_business_basic", ["decision"] = "allow",
        }));
        var code = FlowHelpers.Query(allowed.Headers.Location!)["code"];
        var exchanged = JsonNode.Parse(await (await ExchangeAsync(code)).Content.ReadAsStringAsync())!;
        // The unticked permission is not granted.
        Assert.Equal("instagram_business_basic", exchanged["data"]![0]!["permissions"]!.GetValue<string>());

        var denied = await sandbox.Http.PostAsync("instagram/oauth/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = AppId, ["redirect_uri"] = FlowHelpers.RedirectUri, ["state"] = "s1", ["scope"] = Scopes, ["decision"] = "deny",
        }));
        var query = FlowHelpers.Query(denied.Headers.Location!);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("user_denied", query["error_reason"]);
        Assert.Equal("s1", query["state"]);
    }

    [Fact]
    public async Task The_code_is_single_use_and_answers_in_api_instagram_coms_own_error_shape_with_the_data_array_or_the_flat_object()
    {
        // §14.2: documented {"data":[…]}; user_id is the Instagram-scoped id, not the professional account id.
        var code = await CodeAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await ExchangeAsync(code, "https://app.example.com/other")).StatusCode);
        var first = await ExchangeAsync(code);
        var body = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var entry = body["data"]![0]!;
        Assert.Equal(Scopes, entry["permissions"]!.GetValue<string>());
        Assert.NotEqual(_igId, entry["user_id"]!.ToJsonString());

        var replay = JsonNode.Parse(await (await ExchangeAsync(code)).Content.ReadAsStringAsync())!;
        Assert.Equal("OAuthException", replay["error_type"]!.GetValue<string>());
        Assert.Equal(400, replay["code"]!.GetValue<int>());
        Assert.Equal("Matching code was not found or was already used", replay["error_message"]!.GetValue<string>());
        Assert.Null(replay["error"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await ExchangeAsync(await CodeAsync(), secret: "sandbox-meta-secret")).StatusCode);

        // An expired code (1 h) is "not found" too.
        var late = await CodeAsync();
        await sandbox.AdvanceClockAsync(3601);
        Assert.Equal("Matching code was not found or was already used",
            JsonNode.Parse(await (await ExchangeAsync(late)).Content.ReadAsStringAsync())!["error_message"]!.GetValue<string>());

        await sandbox.SettingsAsync(new { ig_login_flat_token_response = true });
        var flat = JsonNode.Parse(await (await ExchangeAsync(await CodeAsync())).Content.ReadAsStringAsync())!;
        Assert.StartsWith("IGAA", flat["access_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_long_lived_exchange_gives_sixty_days_and_refresh_needs_a_token_at_least_a_day_old_and_unexpired()
    {
        // §14.3: ig_exchange_token with the Instagram app secret; expires_in 5183944.
        var shortLived = await ShortLivedAsync();
        var wrongSecret = await sandbox.GetJsonAsync($"graph-instagram/access_token?grant_type=ig_exchange_token&client_secret=sandbox-meta-secret&access_token={shortLived}");
        Assert.Equal(1, FlowHelpers.GraphError(wrongSecret).Code);
        var longLived = await sandbox.GetJsonAsync($"graph-instagram/access_token?grant_type=ig_exchange_token&client_secret={Secret}&access_token={shortLived}");
        Assert.Equal(5_183_944, longLived["expires_in"]!.GetValue<int>());
        Assert.Equal("bearer", longLived["token_type"]!.GetValue<string>());
        var token = longLived["access_token"]!.GetValue<string>();

        // §14.4: not before 24 h; a short-lived token is not refreshable.
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph-instagram/refresh_access_token?grant_type=ig_refresh_token&access_token={token}")).Code);
        Assert.Equal(100, FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph-instagram/refresh_access_token?grant_type=ig_refresh_token&access_token={await ShortLivedAsync()}")).Code);
        await sandbox.AdvanceClockAsync(86_400);
        var refreshed = await sandbox.GetJsonAsync($"graph-instagram/refresh_access_token?grant_type=ig_refresh_token&access_token={token}");
        Assert.Equal(5_183_944, refreshed["expires_in"]!.GetValue<int>());
        var renewed = refreshed["access_token"]!.GetValue<string>();
        Assert.Equal(_igId, (await sandbox.GetJsonAsync($"graph-instagram/v24.0/me?fields=user_id&access_token={renewed}"))["user_id"]!.GetValue<string>());

        // Sixty days without a refresh: expired (190/463), and it can no longer be refreshed.
        await sandbox.AdvanceClockAsync(5_183_944 - 60);
        Assert.Equal((190, 463), FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph-instagram/refresh_access_token?grant_type=ig_refresh_token&access_token={token}")));
        Assert.Equal((190, 463), FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph-instagram/v24.0/me?access_token={token}")));
        // The refreshed one lives 60 days from its refresh.
        Assert.Equal(_igId, (await sandbox.GetJsonAsync($"graph-instagram/v24.0/me?fields=user_id&access_token={renewed}"))["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Me_names_the_professional_account_and_the_tokens_of_each_login_work_only_on_their_own_host()
    {
        // §14.5: id is Instagram-scoped, user_id the {IG_ID} of publishing paths.
        var token = await LongLivedAsync();
        var me = await sandbox.GetJsonAsync($"graph-instagram/v24.0/me?fields=user_id,username,account_type,name&access_token={token}");
        Assert.Equal(_igId, me["user_id"]!.GetValue<string>());
        Assert.NotEqual(_igId, me["id"]!.GetValue<string>());
        Assert.Equal("MEDIA_CREATOR", me["account_type"]!.GetValue<string>());
        Assert.Equal("solocreator.ig1", me["username"]!.GetValue<string>());

        // §14.6: an Instagram User token on graph.facebook.com, and a Facebook token on graph.instagram.com, cannot be parsed.
        Assert.Equal(190, FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph/v24.0/me?access_token={token}")).Code);
        var (facebookToken, _, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        Assert.Equal(190, FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph-instagram/v24.0/me?access_token={facebookToken}")).Code);

        // A grant the person removed: 190/458.
        await sandbox.PostControlAsync($"_sandbox/identities/{_identity}/revoke", new { platform = "instagram" });
        Assert.Equal((190, 458), FlowHelpers.GraphError(await sandbox.GetJsonAsync($"graph-instagram/v24.0/me?access_token={token}")));
    }

    [Fact]
    public async Task The_container_flow_on_graph_instagram_com_publishes_an_image_and_a_reel_within_the_publishing_limit()
    {
        // §14.6: same container / status / media_publish / content_publishing_limit paths on the other host.
        var token = await LongLivedAsync();
        var image = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["caption"] = "Hello", ["access_token"] = token }, "graph-instagram");
        var imageId = image["id"]!.GetValue<string>();
        Assert.Equal("FINISHED", (await sandbox.GetJsonAsync($"graph-instagram/v24.0/{imageId}?fields=status_code&access_token={token}"))["status_code"]!.GetValue<string>());
        var media = (await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = imageId, ["access_token"] = token }, "graph-instagram"))["id"]!.GetValue<string>();
        Assert.StartsWith("https://www.instagram.com/p/", (await sandbox.GetJsonAsync($"graph-instagram/v24.0/{media}?fields=permalink&access_token={token}"))["permalink"]!.GetValue<string>());

        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 120_000 });
        var reel = (await sandbox.PostGraphAsync("me/media", new() { ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "REELS", ["access_token"] = token }, "graph-instagram"))["id"]!.GetValue<string>();
        Assert.Equal((9007, 2207027), FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = reel, ["access_token"] = token }, "graph-instagram")));
        await sandbox.AdvanceClockAsync(31);
        Assert.NotNull((await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = reel, ["access_token"] = token }, "graph-instagram"))["id"]);

        var limit = await sandbox.GetJsonAsync($"graph-instagram/v24.0/{_igId}/content_publishing_limit?fields=quota_usage,config&access_token={token}");
        Assert.Equal(2, limit["data"]![0]!["quota_usage"]!.GetValue<int>());
        Assert.Equal(2, (await sandbox.PublishedAsync(_igId)).Count);

        await sandbox.SettingsAsync(new { ig_content_publishing_limit = 2 });
        var third = (await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = token }, "graph-instagram"))["id"]!.GetValue<string>();
        Assert.Equal((9, 2207042), FlowHelpers.GraphError(await sandbox.PostGraphAsync($"{_igId}/media_publish", new() { ["creation_id"] = third, ["access_token"] = token }, "graph-instagram")));
    }

    [Fact]
    public async Task What_differs_from_facebook_login_resumable_uploads_refused_business_scopes_required_and_only_the_own_account()
    {
        // §14.6: no upload_type=resumable on graph.instagram.com.
        var token = await LongLivedAsync();
        var resumable = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["media_type"] = "REELS", ["upload_type"] = "resumable", ["access_token"] = token }, "graph-instagram");
        Assert.Equal(100, FlowHelpers.GraphError(resumable).Code);
        // §13.7, §14.6: nor for a carousel's video child (VIDEO + is_carousel_item).
        var resumableChild = await sandbox.PostGraphAsync($"{_igId}/media", new()
        {
            ["media_type"] = "VIDEO", ["is_carousel_item"] = "true", ["upload_type"] = "resumable", ["access_token"] = token,
        }, "graph-instagram");
        Assert.Contains("Instagram Login", FlowHelpers.GraphError(resumableChild) is (100, _) ? resumableChild["error"]!["message"]!.GetValue<string>() : resumableChild.ToJsonString());

        // Publishing needs instagram_business_content_publish.
        var basicOnly = await LongLivedAsync(["instagram_business_basic"]);
        var refused = await sandbox.PostGraphAsync($"{_igId}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = basicOnly }, "graph-instagram");
        Assert.Equal(10, FlowHelpers.GraphError(refused).Code);

        // Another account's id: unknown object for this token.
        var other = (await FlowHelpers.DefaultIdentityAsync(sandbox))["meta"]!["pages"]![0]!["instagram_business_account"]!["id"]!.GetValue<string>();
        var foreign = await sandbox.PostGraphAsync($"{other}/media", new() { ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = token }, "graph-instagram");
        Assert.Equal((100, 33), FlowHelpers.GraphError(foreign));
    }
}
