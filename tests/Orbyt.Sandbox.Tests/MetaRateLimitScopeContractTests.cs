using System.Net;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// Meta's limits, each on its own scope (reference §17.1, §17.2, §4.3): the app, a user, a Page called with a user
/// token, a Page or Instagram account's business-use-case budget, and one account's spam restriction — each refuses
/// only the calls of its scope, with the usage header of its kind, as HTTP 400 with a <c>WWW-Authenticate</c> challenge.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class MetaRateLimitScopeContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Account(string UserToken, string PageToken, string PageId, string IgId);

    private async Task<Account> AccountAsync(bool second = false)
    {
        var identity = second ? await sandbox.PostControlAsync("_sandbox/identities", new { name = "Other Tenant" }) : null;
        var (user, page, ig) = await FlowHelpers.MetaAccountAsync(sandbox, identity);
        return new Account(user, await FlowHelpers.PageTokenAsync(sandbox, user, page), page, ig);
    }

    private Task<HttpResponseMessage> GetAsync(string path, string token) => sandbox.Http.GetAsync($"graph/v24.0/{path}?access_token={token}");

    private Task<HttpResponseMessage> CreateContainerAsync(Account account) =>
        sandbox.Http.PostAsync($"graph/v24.0/{account.IgId}/media", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["image_url"] = sandbox.Url("_sandbox/media/image.jpg"), ["access_token"] = account.PageToken,
        }));

    private static async Task<(int Code, int? Subcode)> ErrorAsync(HttpResponseMessage response) =>
        FlowHelpers.GraphError(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);

    private static JsonNode? Business(HttpResponseMessage response, string objectId) =>
        response.Headers.TryGetValues("X-Business-Use-Case-Usage", out var values) ? JsonNode.Parse(values.Single())![objectId]?[0] : null;

    private static int? AppCallCount(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-App-Usage", out var values) ? JsonNode.Parse(values.Single())!["call_count"]!.GetValue<int>() : null;

    /// <summary>Calls until one is refused (at most <paramref name="max"/>); returns the refusal.</summary>
    private static async Task<HttpResponseMessage> UntilRefusedAsync(Func<Task<HttpResponseMessage>> call, int max = 10)
    {
        for (var i = 0; i < max; i++)
        {
            var response = await call();
            if (!response.IsSuccessStatusCode)
            {
                return response;
            }
        }

        throw new Xunit.Sdk.XunitException($"No call of {max} was refused.");
    }

    private static void AssertRateLimitRefusal(HttpResponseMessage response, int code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("OAuth \"Facebook Platform\" \"invalid_request\"", challenge);
        Assert.Contains($"(#{code})", challenge);
    }

    [Fact]
    public async Task Page_token_and_instagram_calls_report_their_business_object_and_user_token_calls_the_app()
    {
        var account = await AccountAsync();

        var page = await GetAsync(account.PageId, account.PageToken);
        Assert.Equal("pages", Business(page, account.PageId)!["type"]!.GetValue<string>());
        Assert.Null(AppCallCount(page));

        var ig = await GetAsync(account.IgId, account.UserToken);
        Assert.Equal("instagram", Business(ig, account.IgId)!["type"]!.GetValue<string>());
        Assert.Null(AppCallCount(ig));

        var me = await GetAsync("me", account.UserToken);
        Assert.NotNull(AppCallCount(me));
        Assert.False(me.Headers.Contains("X-Business-Use-Case-Usage"));
    }

    [Fact]
    public async Task A_spent_page_budget_refuses_that_page_with_80001_and_its_regain_time_while_other_pages_and_the_app_carry_on()
    {
        var throttled = await AccountAsync();
        var other = await AccountAsync(second: true);
        await sandbox.SettingsAsync(new { meta_business_call_budget_per_day = 3 });

        var refused = await UntilRefusedAsync(() => GetAsync(throttled.PageId, throttled.PageToken));

        Assert.Equal((80001, null), await ErrorAsync(refused));
        AssertRateLimitRefusal(refused, 80001);
        var usage = Business(refused, throttled.PageId)!;
        Assert.Equal(100, usage["call_count"]!.GetValue<int>());
        Assert.True(usage["estimated_time_to_regain_access"]!.GetValue<int>() > 0);
        Assert.Null(AppCallCount(refused));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(other.PageId, other.PageToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("me", throttled.UserToken)).StatusCode);
    }

    [Fact]
    public async Task An_instagram_account_restricted_as_spam_answers_4_2207051_on_media_for_that_account_only_and_moves_no_usage_figure()
    {
        var flagged = await AccountAsync();
        var other = await AccountAsync(second: true);
        await sandbox.PostControlAsync($"_sandbox/instagram/{flagged.IgId}/restriction", new { hours = 6 });

        var refused = await CreateContainerAsync(flagged);

        Assert.Equal((4, 2207051), await ErrorAsync(refused));
        AssertRateLimitRefusal(refused, 4);
        Assert.True(Business(refused, flagged.IgId)!["call_count"]!.GetValue<int>() < 100);
        Assert.Null(AppCallCount(refused));
        Assert.Equal(HttpStatusCode.OK, (await CreateContainerAsync(other)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(flagged.IgId, flagged.PageToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("me", flagged.UserToken)).StatusCode);

        await sandbox.AdvanceClockAsync(6 * 3600 + 1);
        Assert.Equal(HttpStatusCode.OK, (await CreateContainerAsync(flagged)).StatusCode);
    }

    [Fact]
    public async Task A_users_spent_budget_refuses_that_users_tokens_with_17_without_touching_the_app_usage()
    {
        var throttled = await AccountAsync();
        var other = await AccountAsync(second: true);
        await sandbox.SettingsAsync(new { meta_user_call_budget_per_hour = 5 });

        var refused = await UntilRefusedAsync(() => GetAsync("me", throttled.UserToken));

        Assert.Equal((17, null), await ErrorAsync(refused));
        AssertRateLimitRefusal(refused, 17);
        Assert.True(AppCallCount(refused) < 100);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("me", other.UserToken)).StatusCode);
        // Page tokens are counted on the Page's business budget, not the user's.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(throttled.PageId, throttled.PageToken)).StatusCode);
    }

    [Fact]
    public async Task A_page_called_with_a_user_token_gets_32_once_its_platform_budget_is_spent_while_its_page_token_still_works()
    {
        var account = await AccountAsync();
        await sandbox.SettingsAsync(new { meta_page_user_token_call_budget_per_hour = 2 });

        var refused = await UntilRefusedAsync(() => GetAsync(account.PageId, account.UserToken));

        Assert.Equal((32, null), await ErrorAsync(refused));
        AssertRateLimitRefusal(refused, 32);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(account.PageId, account.PageToken)).StatusCode);
    }

    [Fact]
    public async Task The_apps_spent_platform_limit_refuses_user_tokens_with_4_but_not_page_token_calls()
    {
        var account = await AccountAsync();
        await sandbox.SettingsAsync(new { meta_app_call_budget_per_hour = 4 });

        var refused = await UntilRefusedAsync(() => GetAsync("me", account.UserToken));

        Assert.Equal((4, null), await ErrorAsync(refused));
        AssertRateLimitRefusal(refused, 4);
        Assert.Equal(100, AppCallCount(refused));
        // "If both Platform and Business Use Case rate limits can be applied to a request, BUC rate limits will be applied."
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(account.PageId, account.PageToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CreateContainerAsync(account)).StatusCode);
    }

    [Fact]
    public async Task Debug_token_is_an_app_token_call_counted_on_the_apps_platform_limit_and_refused_with_4_once_it_is_spent()
    {
        // §4.3: platform limits count calls made with app and user tokens per app; debug_token's caller is the app token
        // (§1.5), so its answer carries X-App-Usage and a spent app budget refuses it like any other app call.
        var account = await AccountAsync();
        Task<HttpResponseMessage> Debug() => sandbox.Http.GetAsync(
            $"graph/v24.0/debug_token?input_token={account.PageToken}&access_token={FlowHelpers.MetaAppId}|{FlowHelpers.MetaSecret}");

        var first = await Debug();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(AppCallCount(first));
        Assert.False(first.Headers.Contains("X-Business-Use-Case-Usage"));

        await sandbox.SettingsAsync(new { meta_app_call_budget_per_hour = 4 });
        var refused = await UntilRefusedAsync(Debug);
        Assert.Equal((4, null), await ErrorAsync(refused));
        AssertRateLimitRefusal(refused, 4);
        Assert.Equal(100, AppCallCount(refused));
    }
}
