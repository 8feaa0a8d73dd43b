using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// What a Facebook Login consent records (reference §1.1, §1.5): a permission unticked on re-consent is declined even
/// if it was granted before, the dialog asks for a declined one again only with <c>auth_type=rerequest</c>, and a
/// Facebook Login for Business <c>config_id</c> grants its configuration as a whole.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class MetaConsentContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly string[] Facebook = ["pages_show_list", "pages_read_engagement", "pages_manage_posts"];

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_permission_unticked_on_re_consent_is_declined_even_though_it_was_granted_before()
    {
        var userId = await NewUserAsync();
        await ConsentAsync(userId, Facebook, Facebook);

        // The same dialog again; this time the person unticks pages_manage_posts.
        var token = await ConsentAsync(userId, Facebook, ["pages_show_list", "pages_read_engagement"]);

        var debug = await DebugAsync(token);
        Assert.DoesNotContain("pages_manage_posts", Strings(debug["scopes"]));
        var permissions = (await sandbox.GetJsonAsync($"graph/v24.0/me/permissions?access_token={token}"))["data"]!.AsArray()
            .ToDictionary(p => p!["permission"]!.GetValue<string>(), p => p!["status"]!.GetValue<string>());
        Assert.Equal("declined", permissions["pages_manage_posts"]);
        Assert.Equal("granted", permissions["pages_show_list"]);
    }

    [Fact]
    public async Task A_declined_permission_is_asked_again_only_with_auth_type_rerequest_and_other_logins_leave_it_alone()
    {
        var userId = await NewUserAsync();
        await ConsentAsync(userId, Facebook, ["pages_show_list", "pages_read_engagement"]);

        // Without rerequest the dialog does not ask for it: the person can tick all they are shown, it stays declined.
        var again = await ConsentAsync(userId, Facebook, Facebook);
        Assert.DoesNotContain("pages_manage_posts", Strings((await DebugAsync(again))["scopes"]));
        // A login for other permissions keeps what was granted and declined.
        var other = await ConsentAsync(userId, ["instagram_basic"], ["instagram_basic"]);
        var otherScopes = Strings((await DebugAsync(other))["scopes"]);
        Assert.Contains("pages_show_list", otherScopes);
        Assert.Contains("instagram_basic", otherScopes);
        Assert.DoesNotContain("pages_manage_posts", otherScopes);

        var rerequested = await ConsentAsync(userId, Facebook, Facebook, "&auth_type=rerequest");
        Assert.Contains("pages_manage_posts", Strings((await DebugAsync(rerequested))["scopes"]));
    }

    [Fact]
    public async Task A_login_for_business_configuration_grants_its_permissions_as_a_whole_and_an_unknown_one_is_refused()
    {
        var userId = await NewUserAsync();
        await sandbox.SettingsAsync(new { meta_login_configurations = new Dictionary<string, string[]> { ["cfg-flfb-1"] = [.. Facebook, "business_management"] } });

        // Auto-consent's scope list cannot untick anything in a configuration.
        var token = await ConsentAsync(userId, ["pages_show_list"], ["pages_show_list"], "&config_id=cfg-flfb-1");
        var scopes = Strings((await DebugAsync(token))["scopes"]);
        Assert.Contains("pages_manage_posts", scopes);
        Assert.Contains("business_management", scopes);

        var unknown = await sandbox.Http.GetAsync($"facebook/v24.0/dialog/oauth?client_id={FlowHelpers.MetaAppId}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&state=s&config_id=nope");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task The_consent_form_records_unticked_permissions_as_declined()
    {
        var userId = await NewUserAsync();
        await ConsentAsync(userId, Facebook, Facebook);
        await sandbox.SettingsAsync(new { auto_consent = new { meta = (string?)null } });
        var form = new Dictionary<string, string>
        {
            ["client_id"] = FlowHelpers.MetaAppId, ["redirect_uri"] = FlowHelpers.RedirectUri, ["state"] = "s", ["scope"] = string.Join(',', Facebook),
            ["user_id"] = userId, ["granted"] = "pages_show_list", ["decision"] = "allow",
        };
        var allowed = await sandbox.Http.PostAsync("facebook/v24.0/dialog/oauth", new FormUrlEncodedContent(form));
        var code = FlowHelpers.Query(allowed.Headers.Location!)["code"];
        var token = (await sandbox.GetJsonAsync(
            $"graph/v24.0/oauth/access_token?client_id={FlowHelpers.MetaAppId}&client_secret={FlowHelpers.MetaSecret}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&code={code}"))["access_token"]!.GetValue<string>();

        Assert.Equal(["pages_show_list", "public_profile"], Strings((await DebugAsync(token))["scopes"]).Order());
    }

    private async Task<string> NewUserAsync() =>
        (await sandbox.PostControlAsync("_sandbox/identities", new { pages = 1 }))["meta"]!["user_id"]!.GetValue<string>();

    /// <summary>One login: the dialog asks for <paramref name="requested"/>, the person ticks <paramref name="ticked"/>; a user token for it.</summary>
    private async Task<string> ConsentAsync(string userId, string[] requested, string[] ticked, string extra = "")
    {
        await sandbox.SettingsAsync(new { auto_consent = new { meta = userId, meta_scopes = ticked } });
        var dialog = await sandbox.Http.GetAsync(
            $"facebook/v24.0/dialog/oauth?client_id={FlowHelpers.MetaAppId}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&state=s&scope={string.Join(',', requested)}{extra}");
        Assert.Equal(HttpStatusCode.Redirect, dialog.StatusCode);
        var code = FlowHelpers.Query(dialog.Headers.Location!)["code"];
        var token = await sandbox.GetJsonAsync(
            $"graph/v24.0/oauth/access_token?client_id={FlowHelpers.MetaAppId}&client_secret={FlowHelpers.MetaSecret}&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&code={code}");
        return token["access_token"]!.GetValue<string>();
    }

    private async Task<JsonNode> DebugAsync(string token) =>
        (await sandbox.GetJsonAsync($"graph/v24.0/debug_token?input_token={token}&access_token={FlowHelpers.MetaAppId}|{FlowHelpers.MetaSecret}"))["data"]!;

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(s => s!.GetValue<string>()).ToArray();
}
