using System.Net;

namespace Orbyt.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class MetaOAuthTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Exchange = "graph/v24.0/oauth/access_token?client_id=1234567890&client_secret=sandbox-meta-secret&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&code=";

    [Fact]
    public async Task The_login_dialog_is_an_html_form_whose_Allow_redirects_with_code_and_state_and_Deny_with_user_denied()
    {
        var page = await sandbox.Http.GetStringAsync($"facebook/v24.0/dialog/oauth?client_id=1234567890&redirect_uri={Uri.EscapeDataString(FlowHelpers.RedirectUri)}&state=abc&scope=pages_show_list");
        Assert.Contains("<form method=\"post\"", page);
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var form = new Dictionary<string, string>
        {
            ["client_id"] = "1234567890", ["redirect_uri"] = FlowHelpers.RedirectUri, ["state"] = "abc",
            ["user_id"] = identity["meta"]!["user_id"]!.GetValue<string>(), ["granted"] = "pages_show_list", ["decision"] = "allow",
        };
        var allowed = await sandbox.Http.PostAsync("facebook/v24.0/dialog/oauth", new FormUrlEncodedContent(form));
        var query = FlowHelpers.Query(allowed.Headers.Location!);
        Assert.Equal("abc", query["state"]);
        Assert.StartsWith("AQ", query["code"]);

        form["decision"] = "deny";
        var denied = await sandbox.Http.PostAsync("facebook/v24.0/dialog/oauth", new FormUrlEncodedContent(form));
        var deniedQuery = FlowHelpers.Query(denied.Headers.Location!);
        Assert.Equal("access_denied", deniedQuery["error"]);
        Assert.Equal("user_denied", deniedQuery["error_reason"]);
        Assert.Equal("Permissions error", deniedQuery["error_description"]);
    }

    [Fact]
    public async Task Codes_are_single_use_and_expire_with_the_observed_subcodes()
    {
        var userId = (await FlowHelpers.DefaultIdentityAsync(sandbox))["meta"]!["user_id"]!.GetValue<string>();
        var code = await FlowHelpers.MetaCodeAsync(sandbox, userId);
        var token = await sandbox.GetJsonAsync(Exchange + code);
        Assert.StartsWith("EAAG", token["access_token"]!.GetValue<string>());
        var reused = await sandbox.GetJsonAsync(Exchange + code);
        Assert.Equal(36009, reused["error"]!["error_subcode"]!.GetValue<int>());
        Assert.NotNull(reused["error"]!["fbtrace_id"]);

        var late = await FlowHelpers.MetaCodeAsync(sandbox, userId);
        await sandbox.AdvanceClockAsync(601);
        Assert.Equal(36007, (await sandbox.GetJsonAsync(Exchange + late))["error"]!["error_subcode"]!.GetValue<int>());
    }

    [Fact]
    public async Task Long_lived_tokens_give_non_expiring_page_tokens_with_linked_instagram_and_debug_token_describes_them()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var userToken = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, identity["meta"]!["user_id"]!.GetValue<string>());
        var accounts = await sandbox.GetJsonAsync($"graph/v24.0/me/accounts?fields=id,name,access_token,instagram_business_account&access_token={userToken}");
        var pages = accounts["data"]!.AsArray();
        Assert.Equal(2, pages.Count);
        Assert.StartsWith("17841", pages[0]!["instagram_business_account"]!["id"]!.GetValue<string>());
        Assert.Null(pages[1]!["instagram_business_account"]);

        var pageToken = pages[0]!["access_token"]!.GetValue<string>();
        var debug = (await sandbox.GetJsonAsync($"graph/v24.0/debug_token?input_token={pageToken}&access_token=1234567890|sandbox-meta-secret"))["data"]!;
        Assert.Equal("PAGE", debug["type"]!.GetValue<string>());
        Assert.Equal(0, debug["expires_at"]!.GetValue<long>());
        Assert.True(debug["is_valid"]!.GetValue<bool>());
        Assert.NotNull(debug["granular_scopes"]);
        Assert.True(debug["data_access_expires_at"]!.GetValue<long>() > 0);

        var me = await sandbox.GetJsonAsync($"graph/me?access_token={userToken}");
        Assert.Equal(identity["meta"]!["user_id"]!.GetValue<string>(), me["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoked_expired_and_underprivileged_tokens_get_190_458_190_463_and_permission_errors()
    {
        var identity = await FlowHelpers.DefaultIdentityAsync(sandbox);
        var userId = identity["meta"]!["user_id"]!.GetValue<string>();
        var limited = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, userId, ["instagram_basic"]);
        Assert.Equal(10, (await sandbox.GetJsonAsync($"graph/v24.0/me/accounts?access_token={limited}"))["error"]!["code"]!.GetValue<int>());

        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, userId);
        await sandbox.PostControlAsync("_sandbox/tokens/expire", new { token });
        var expired = (await sandbox.GetJsonAsync($"graph/v24.0/me?access_token={token}"))["error"]!;
        Assert.Equal(190, expired["code"]!.GetValue<int>());
        Assert.Equal(463, expired["error_subcode"]!.GetValue<int>());
        var debug = (await sandbox.GetJsonAsync($"graph/v24.0/debug_token?input_token={token}&access_token=1234567890|sandbox-meta-secret"))["data"]!;
        Assert.False(debug["is_valid"]!.GetValue<bool>());
        Assert.Equal(463, debug["error"]!["subcode"]!.GetValue<int>());

        var fresh = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, userId);
        var delete = await sandbox.Http.DeleteAsync($"graph/v24.0/{userId}/permissions?access_token={fresh}");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(458, (await sandbox.GetJsonAsync($"graph/v24.0/me?access_token={fresh}"))["error"]!["error_subcode"]!.GetValue<int>());
    }
}
