using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Pages reached through a Business Portfolio (reference §11, checklist §18).</summary>
[Collection(SandboxCollection.Name)]
public sealed class BusinessPortfolioContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    private static readonly string[] WithBusiness = [.. FlowHelpers.PublishingScopes, "business_management"];

    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_page_reached_only_through_a_portfolio_is_absent_from_me_accounts_which_answers_an_empty_list()
    {
        // §11.1: HTTP 200 with {"data": []}, not an error.
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 0, business_pages = 1 });
        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), WithBusiness);

        var response = await sandbox.Http.GetAsync($"graph/v24.0/me/accounts?fields=id,name,access_token&access_token={token}");
        var accounts = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(accounts["data"]!.AsArray());
    }

    [Fact]
    public async Task Me_businesses_needs_business_management_and_then_lists_the_portfolios_with_cursor_paging()
    {
        // §11.2, §11.3.
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 0, business_pages = 1 });
        var without = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), FlowHelpers.PublishingScopes);
        var refused = await sandbox.Http.GetAsync($"graph/v24.0/me/businesses?access_token={without}");
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(200, error["error"]!["code"]!.GetValue<int>());
        Assert.Equal("(#200) Requires business_management permission to manage the object", error["error"]!["message"]!.GetValue<string>());
        // The business's own edges need it too.
        var edge = await sandbox.GetJsonAsync($"graph/v24.0/{identity["meta"]!["businesses"]![0]!["id"]}/owned_pages?access_token={without}");
        Assert.Equal(200, edge["error"]!["code"]!.GetValue<int>());

        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), WithBusiness);
        var businesses = await sandbox.GetJsonAsync($"graph/v24.0/me/businesses?fields=id,name&limit=100&access_token={token}");
        var business = Assert.Single(businesses["data"]!.AsArray())!;
        Assert.Equal(identity["meta"]!["businesses"]![0]!["id"]!.GetValue<string>(), business["id"]!.GetValue<string>());
        Assert.EndsWith("Portfolio", business["name"]!.GetValue<string>());
        Assert.Null(businesses["paging"]!["next"]); // absent on the last page
    }

    [Fact]
    public async Task Owned_and_client_pages_give_a_page_token_only_where_the_person_has_a_task_and_client_pages_carry_permitted_tasks()
    {
        // §11.4: listed without a token is "not connectable"; client_pages nodes carry permitted_tasks; summary=total_count.
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 0, business_pages = 1, client_pages = 1, business_pages_without_task = 1 });
        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), WithBusiness);
        var businessId = identity["meta"]!["businesses"]![0]!["id"]!.GetValue<string>();
        const string fields = "id,name,access_token,tasks,instagram_business_account{id,username}";

        var owned = await sandbox.GetJsonAsync($"graph/v24.0/{businessId}/owned_pages?fields={fields}&summary=total_count&access_token={token}");
        var client = await sandbox.GetJsonAsync($"graph/v24.0/{businessId}/client_pages?fields={fields},permitted_tasks&access_token={token}");

        var ownedPages = owned["data"]!.AsArray();
        Assert.Equal(2, ownedPages.Count);
        Assert.Equal(2, owned["summary"]!["total_count"]!.GetValue<int>());
        Assert.StartsWith("EAAG", ownedPages[0]!["access_token"]!.GetValue<string>());
        Assert.Contains("CREATE_CONTENT", ownedPages[0]!["tasks"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.NotNull(ownedPages[0]!["instagram_business_account"]);
        Assert.Null(ownedPages[1]!["access_token"]);
        Assert.Null(ownedPages[1]!["tasks"]);
        var clientPage = Assert.Single(client["data"]!.AsArray())!;
        Assert.StartsWith("EAAG", clientPage["access_token"]!.GetValue<string>());
        Assert.Contains("CREATE_CONTENT", clientPage["permitted_tasks"]!.AsArray().Select(t => t!.GetValue<string>()));

    }

    [Fact]
    public async Task Debug_token_names_portfolio_pages_and_businesses_in_granular_scopes_and_the_page_node_gives_their_token()
    {
        // §11.6 (discovery without business_management) and §11.5.
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 1, business_pages = 1, business_pages_without_task = 1 });
        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), WithBusiness);
        var business = identity["meta"]!["businesses"]![0]!;
        var portfolioPage = business["owned_pages"]![0]!["id"]!.GetValue<string>();
        var noTaskPage = business["owned_pages"]![1]!["id"]!.GetValue<string>();

        var debug = await sandbox.GetJsonAsync($"graph/v24.0/debug_token?input_token={token}&access_token=1234567890|sandbox-meta-secret");
        var granular = debug["data"]!["granular_scopes"]!.AsArray().ToDictionary(g => g!["scope"]!.GetValue<string>(), g => g!["target_ids"]?.AsArray().Select(t => t!.GetValue<string>()).ToArray());
        Assert.Contains(portfolioPage, granular["pages_show_list"]!);
        Assert.Contains(identity["meta"]!["pages"]![0]!["id"]!.GetValue<string>(), granular["pages_show_list"]!);
        Assert.DoesNotContain(noTaskPage, granular["pages_show_list"]!);
        Assert.Equal([business["id"]!.GetValue<string>()], granular["business_management"]!);

        var node = await sandbox.GetJsonAsync($"graph/v24.0/{portfolioPage}?fields=id,name,access_token,instagram_business_account&access_token={token}");
        Assert.StartsWith("EAAG", node["access_token"]!.GetValue<string>());
        var noTask = await sandbox.GetJsonAsync($"graph/v24.0/{noTaskPage}?fields=id,name,access_token&access_token={token}");
        Assert.Equal(noTaskPage, noTask["id"]!.GetValue<string>());
        Assert.Null(noTask["access_token"]);
    }

    [Fact]
    public async Task Publishing_to_instagram_through_a_portfolio_page_role_needs_an_ads_permission()
    {
        // §11.7: 403 / code 200 "The calling app is missing the ads_management permission for the target." without ads_*.
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 0, business_pages = 1 });
        var page = identity["meta"]!["businesses"]![0]!["owned_pages"]![0]!;
        var igId = page["instagram_business_account"]!["id"]!.GetValue<string>();
        var image = sandbox.Url("_sandbox/media/image.jpg");

        var withoutAds = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), WithBusiness);
        var pageToken = (await sandbox.GetJsonAsync($"graph/v24.0/{page["id"]}?fields=access_token&access_token={withoutAds}"))["access_token"]!.GetValue<string>();
        var refused = await sandbox.Http.PostAsync($"graph/v24.0/{igId}/media", new FormUrlEncodedContent(new Dictionary<string, string> { ["image_url"] = image, ["access_token"] = pageToken }));
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(200, error["code"]!.GetValue<int>());
        Assert.Equal("The calling app is missing the ads_management permission for the target.", error["message"]!.GetValue<string>());

        var withAds = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity), [.. WithBusiness, "ads_read"]);
        var adsPageToken = (await sandbox.GetJsonAsync($"graph/v24.0/{page["id"]}?fields=access_token&access_token={withAds}"))["access_token"]!.GetValue<string>();
        var created = await sandbox.PostGraphAsync($"{igId}/media", new() { ["image_url"] = image, ["access_token"] = adsPageToken });
        Assert.NotNull(created["id"]);
    }

    [Fact]
    public async Task Me_accounts_pages_with_limit_and_follows_paging_next_to_the_end()
    {
        var identity = await sandbox.PostControlAsync("_sandbox/identities", new { pages = 3, instagram = false });
        var token = await FlowHelpers.MetaLongLivedTokenAsync(sandbox, UserId(identity));

        var seen = new List<string>();
        var first = await sandbox.GetJsonAsync($"graph/v24.0/me/accounts?fields=id&limit=2&access_token={token}");
        seen.AddRange(first["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        var next = new Uri(first["paging"]!["next"]!.GetValue<string>());
        var second = await sandbox.GetJsonAsync(next.PathAndQuery.TrimStart('/'));
        seen.AddRange(second["data"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));

        Assert.Equal(identity["meta"]!["pages"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()), seen);
        Assert.Null(second["paging"]!["next"]);
    }

    private static string UserId(JsonNode identity) => identity["meta"]!["user_id"]!.GetValue<string>();
}
