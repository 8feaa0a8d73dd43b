using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.RateLimits;
using Orbyt.Core.Vault;
using StackExchange.Redis;

namespace Orbyt.IntegrationTests.Connections;

/// <summary>
/// Connection health (issue 18): a live check against the sandbox's platforms for live, expired and revoked
/// connections of every kind, with the quota figures checked against what the sandbox counted; the cache, the rate
/// limit, the include=health list and client isolation. Each test is its own API client, so the per-client live-check
/// budget (<see cref="AppHostFixture.HealthLiveChecksPerMinute"/>) of one does not leak into another.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ConnectionHealthTests(AppHostFixture fixture) : IAsyncLifetime
{
    private readonly List<Scenario> _scenarios = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/usage", new { })).Dispose();
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/settings", new { ig_content_publishing_limit = 50 })).Dispose();
        foreach (var scenario in _scenarios) scenario.Dispose();
    }

    /// <summary>(platform, login) of every kind of connection.</summary>
    public static TheoryData<string, string?> EveryKind => new()
    {
        { "facebook", null },
        { "instagram", null },
        { "instagram", "instagram" },
        { "youtube", null },
    };

    [Fact]
    public async Task Live_facebook_instagram_and_youtube_connections_report_a_valid_token_their_scopes_formats_quota_and_meta_usage()
    {
        var scenario = await NewClientAsync("health-live");
        await scenario.NewIdentityAsync();
        var facebook = await scenario.ConnectAccountAsync("facebook");
        var instagram = await scenario.ConnectAccountAsync("instagram");
        var youtube = await scenario.ConnectAccountAsync("youtube");
        var settings = await fixture.Sandbox.GetFromJsonAsync<JsonElement>("/_sandbox/settings");

        foreach (var (account, formats) in new[] { (facebook, new[] { "post", "reel", "story" }), (instagram, ["feed", "reels", "story"]), (youtube, ["video"]) })
        {
            var health = await HealthAsync(scenario, account.ConnectionId);
            Assert.True(health.GetProperty("token_valid").GetBoolean(), health.ToString());
            Assert.False(health.GetProperty("needs_reconnect").GetBoolean(), health.ToString());
            Assert.Equal(JsonValueKind.Null, health.GetProperty("reason").ValueKind);
            Assert.Equal(JsonValueKind.Null, health.GetProperty("check_error").ValueKind);
            Assert.False(health.GetProperty("cached").GetBoolean());
            Assert.Equal("active", health.GetProperty("status").GetString());
            Assert.Empty(health.GetProperty("scopes_missing").EnumerateArray());
            var granted = Strings(health.GetProperty("scopes_granted"));
            Assert.All(Strings(health.GetProperty("scopes_required")), scope => Assert.Contains(scope, granted));
            Assert.Equal(formats.Order(), health.GetProperty("can_publish").EnumerateObject().Select(f => f.Name).Order());
            Assert.All(health.GetProperty("can_publish").EnumerateObject(), f => Assert.True(f.Value.GetProperty("ok").GetBoolean(), health.ToString()));
            Assert.True(health.GetProperty("checked_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
            // Issue 17: connected with everything asked, Meta accounts can take a first comment; YouTube never does.
            var comment = health.GetProperty("can_first_comment");
            Assert.Equal(account == youtube ? (false, "first_comment_not_supported") : (true, null),
                (comment.GetProperty("ok").GetBoolean(), comment.GetProperty("reason").GetString()));
        }

        var page = await HealthAsync(scenario, facebook.ConnectionId);
        Assert.True(page.GetProperty("data_access_expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var reels = page.GetProperty("quota").GetProperty("facebook_reels");
        Assert.Equal((0, 30, 30, 86_400), (reels.GetProperty("reels_used").GetInt64(), reels.GetProperty("reels_limit").GetInt64(),
            reels.GetProperty("reels_left").GetInt64(), reels.GetProperty("window_seconds").GetInt64()));
        // debug_token is an app-token call (X-App-Usage), GET /{page-id}/video_reels with the Page token a business-use-case one.
        Assert.True(page.GetProperty("quota").GetProperty("meta_usage").GetProperty("app_percent").GetInt32() >= 0);
        Assert.True(page.GetProperty("quota").GetProperty("meta_usage").GetProperty("account_percent").GetInt32() >= 0);

        var ig = (await HealthAsync(scenario, instagram.ConnectionId)).GetProperty("quota").GetProperty("instagram");
        Assert.Equal(settings.GetProperty("ig_content_publishing_limit").GetInt64(), ig.GetProperty("posts_total").GetInt64());
        Assert.Equal(0, ig.GetProperty("posts_used").GetInt64());
        Assert.Equal(86_400, ig.GetProperty("window_seconds").GetInt64());

        var yt = (await HealthAsync(scenario, youtube.ConnectionId)).GetProperty("quota");
        Assert.Equal(JsonValueKind.Null, yt.GetProperty("instagram").ValueKind);
        Assert.True(yt.GetProperty("youtube").GetProperty("uploads_limit").GetInt64() > 0);
        Assert.True(yt.GetProperty("youtube").GetProperty("resets_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
    }

    /// <summary>(platform, login, the comment permission) of every kind of connection that takes first comments.</summary>
    public static TheoryData<string, string?, string> CommentPermissions => new()
    {
        { "facebook", null, "pages_manage_engagement" },
        { "instagram", null, "instagram_manage_comments" },
        { "instagram", "instagram", "instagram_business_manage_comments" },
    };

    [Theory]
    [MemberData(nameof(CommentPermissions))]
    public async Task A_connection_made_without_the_comment_permission_can_publish_but_not_first_comment_and_needs_no_reconnect(string platform, string? login, string commentScope)
    {
        var scenario = await NewClientAsync("health-nocomment");
        var identity = await scenario.Sandbox.CreateIdentityAsync(login == "instagram" ? InstagramLoginTests.WithoutPage : null);
        // Everything Orbyt asks for except the comment permission (people can untick it on Meta's consent screen).
        string[] asked = (platform, login) switch
        {
            ("facebook", _) => ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "business_management", "pages_manage_engagement"],
            (_, "instagram") => ["instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_comments"],
            _ => ["instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement", "business_management", "ads_read", "instagram_manage_comments"],
        };
        var granted = asked.Where(s => s != commentScope).ToArray();
        await scenario.Sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!,
            metaScopes: login is null ? granted : null, instagramScopes: login == "instagram" ? granted : null);
        var account = await scenario.ConnectAccountAsync(platform, login);

        var health = await HealthAsync(scenario, account.ConnectionId);

        Assert.True(health.GetProperty("token_valid").GetBoolean(), health.ToString());
        Assert.DoesNotContain(commentScope, Strings(health.GetProperty("scopes_granted")));
        Assert.Empty(health.GetProperty("scopes_missing").EnumerateArray());
        Assert.False(health.GetProperty("needs_reconnect").GetBoolean(), health.ToString());
        Assert.All(health.GetProperty("can_publish").EnumerateObject(), f => Assert.True(f.Value.GetProperty("ok").GetBoolean(), health.ToString()));
        var comment = health.GetProperty("can_first_comment");
        Assert.Equal((false, "first_comment_permission_missing"), (comment.GetProperty("ok").GetBoolean(), comment.GetProperty("reason").GetString()));

        // What health says is what create answers: a first comment is refused with the same code, before anything is queued.
        using var refused = await scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = scenario.UserId, targets = new[] { new { connection_id = account.ConnectionId } },
            media = new { type = "image", url = scenario.Sandbox.Url("_sandbox/media/image.jpg") }, caption = "Red mug", first_comment = "Hi",
        });
        await ApiProblem.AssertAsync(refused, HttpStatusCode.Forbidden, "first_comment_permission_missing");
    }

    [Fact]
    public async Task A_pages_reels_of_the_last_24_hours_are_counted_from_its_reels_list_and_at_30_a_reel_cannot_be_published()
    {
        var scenario = await NewClientAsync("health-reels");
        var page = await scenario.ConnectNewAccountAsync("facebook");
        var sandboxNow = (await fixture.Sandbox.GetFromJsonAsync<JsonElement>("/_sandbox/clock")).GetProperty("now").GetDateTimeOffset();

        // 29 reels published today by another tool (they count against Meta's cap as well): one left.
        (await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/facebook/{page.AccountId}/reels", new { count = 29 })).EnsureSuccessStatusCode();
        var calls = await ReelCallsAsync(scenario, page.AccountId);
        var almost = await RefreshedHealthAsync(scenario, page.ConnectionId);
        var reels = almost.GetProperty("quota").GetProperty("facebook_reels");
        Assert.Equal((29, 1), (reels.GetProperty("reels_used").GetInt64(), reels.GetProperty("reels_left").GetInt64()));
        Assert.Equal(JsonValueKind.Null, reels.GetProperty("next_free_at").ValueKind);
        Assert.True(almost.GetProperty("can_publish").GetProperty("reel").GetProperty("ok").GetBoolean(), almost.ToString());
        // The count costs no call of its own: the reels list is the Page-token call of the check (in place of GET /{page-id}).
        var after = await ReelCallsAsync(scenario, page.AccountId);
        Assert.Equal((calls.Reels + 1, calls.Page), (after.Reels, after.Page));

        (await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/facebook/{page.AccountId}/reels", new { count = 1 })).EnsureSuccessStatusCode();
        var full = await RefreshedHealthAsync(scenario, page.ConnectionId);
        reels = full.GetProperty("quota").GetProperty("facebook_reels");
        Assert.Equal((30, 30, 0), (reels.GetProperty("reels_used").GetInt64(), reels.GetProperty("reels_limit").GetInt64(), reels.GetProperty("reels_left").GetInt64()));
        // The window frees up 24 h after the oldest of them, on the platform's clock.
        var nextFree = reels.GetProperty("next_free_at").GetDateTimeOffset();
        Assert.InRange(nextFree, sandboxNow.AddDays(1).AddSeconds(-1), sandboxNow.AddDays(1).AddMinutes(5));
        var formats = full.GetProperty("can_publish");
        Assert.Equal((false, "facebook_reel_limit_reached"), (formats.GetProperty("reel").GetProperty("ok").GetBoolean(), formats.GetProperty("reel").GetProperty("reason").GetString()));
        Assert.True(formats.GetProperty("post").GetProperty("ok").GetBoolean());
        Assert.True(formats.GetProperty("story").GetProperty("ok").GetBoolean());
        Assert.True(full.GetProperty("can_first_comment").GetProperty("ok").GetBoolean());
        Assert.False(full.GetProperty("needs_reconnect").GetBoolean());
    }

    /// <summary>How often the sandbox answered <c>GET /{page-id}/video_reels</c> and <c>GET /{page-id}</c> so far.</summary>
    private async Task<(long Reels, long Page)> ReelCallsAsync(Scenario scenario, string pageId)
    {
        var paths = (await scenario.Sandbox.CallsAsync()).GetProperty("paths").EnumerateObject().ToArray();
        long Count(string suffix) => paths.Where(p => p.Name.StartsWith("GET /graph/", StringComparison.Ordinal) && p.Name.EndsWith(suffix, StringComparison.Ordinal))
            .Sum(p => p.Value.GetInt64());
        return (Count($"/{pageId}/video_reels"), Count($"/{pageId}"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("instagram")]
    public async Task Publishing_n_posts_to_an_instagram_account_leaves_quota_total_minus_n_in_its_health(string? login)
    {
        var scenario = await NewClientAsync("health-igquota");
        var account = await scenario.ConnectNewAccountAsync("instagram", login is null ? null : InstagramLoginTests.WithoutPage, login);
        const int total = 4;
        await scenario.Sandbox.SettingsAsync(new { ig_content_publishing_limit = total });
        var image = scenario.Sandbox.Url("_sandbox/media/image.jpg");
        const int posts = 3;
        for (var i = 0; i < posts; i++)
            await PublishImageAsync(scenario, account, image, $"quota {i}");
        Assert.Equal(posts, (await scenario.Sandbox.PublishedAsync(account.AccountId)).Length);

        var health = await HealthAsync(scenario, account.ConnectionId);
        var quota = health.GetProperty("quota").GetProperty("instagram");
        Assert.Equal(posts, quota.GetProperty("posts_used").GetInt64());
        Assert.Equal(total, quota.GetProperty("posts_total").GetInt64());
        Assert.Equal(total - posts, quota.GetProperty("posts_left").GetInt64());
        Assert.All(health.GetProperty("can_publish").EnumerateObject(), f => Assert.True(f.Value.GetProperty("ok").GetBoolean()));

        // The last post of the window: nothing more can be published until the oldest one leaves it.
        await PublishImageAsync(scenario, account, image, "the last one");
        var full = await RefreshedHealthAsync(scenario, account.ConnectionId);
        Assert.Equal(0, full.GetProperty("quota").GetProperty("instagram").GetProperty("posts_left").GetInt64());
        Assert.All(full.GetProperty("can_publish").EnumerateObject(), f =>
            Assert.Equal("instagram_publishing_limit_reached", f.Value.GetProperty("reason").GetString()));
        Assert.False(full.GetProperty("needs_reconnect").GetBoolean());
    }

    [Fact]
    public async Task An_instagram_account_restricted_as_spam_cannot_publish_according_to_its_health_while_its_token_stays_valid()
    {
        var scenario = await NewClientAsync("health-restricted");
        var account = await scenario.ConnectNewAccountAsync("instagram");
        (await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/instagram/{account.AccountId}/restriction", new { hours = 6 })).EnsureSuccessStatusCode();
        var refused = await scenario.WaitForJobToFinishAsync(await scenario.PublishAsync(account.ConnectionId, "image", scenario.Sandbox.Url("_sandbox/media/image.jpg"), caption: "spam?"));
        Assert.Equal("platform_account_restricted", refused.GetProperty("error").GetProperty("code").GetString());

        var health = await HealthAsync(scenario, account.ConnectionId);

        Assert.True(health.GetProperty("token_valid").GetBoolean());
        Assert.False(health.GetProperty("needs_reconnect").GetBoolean());
        Assert.All(health.GetProperty("can_publish").EnumerateObject(), f =>
            Assert.Equal("platform_account_restricted", f.Value.GetProperty("reason").GetString()));
        var pause = Assert.Single(health.GetProperty("pauses").EnumerateArray());
        Assert.Equal(("meta:account:" + account.AccountId, "instagram_account_restricted"), (pause.GetProperty("scope").GetString(), pause.GetProperty("reason").GetString()));
        Assert.True(pause.GetProperty("until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task Youtube_health_reports_the_uploads_and_units_the_uploader_counted_and_its_own_checks_spend_none_of_them()
    {
        var scenario = await NewClientAsync("health-ytquota");
        var youtube = await scenario.ConnectNewAccountAsync("youtube");
        // The first check looks the channel up once (channels.list, 1 unit); later ones within the hour do not.
        var before = (await HealthAsync(scenario, youtube.ConnectionId)).GetProperty("quota").GetProperty("youtube");
        var sandboxBefore = await YouTubeQuotaAsync();

        var asset = await scenario.Sandbox.MuxAssetAsync(new { size_bytes = 2 * 1024 * 1024, ready_after_seconds = 0 });
        var created = await scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = scenario.UserId,
            targets = new[] { new { connection_id = youtube.ConnectionId } },
            media = new { type = "video", url = asset.GetProperty("url").GetString() },
            title = "health quota",
        }, HttpStatusCode.Accepted);
        var job = await scenario.WaitForJobToFinishAsync(created.GetProperty("jobs")[0].GetProperty("id").GetString()!, clock: SandboxClockMove.WhilePlatformProcessing);
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());

        var after = (await RefreshedHealthAsync(scenario, youtube.ConnectionId)).GetProperty("quota").GetProperty("youtube");
        var sandboxAfter = await YouTubeQuotaAsync();
        Assert.Equal(1, after.GetProperty("uploads_used").GetInt64() - before.GetProperty("uploads_used").GetInt64());
        Assert.Equal(sandboxAfter.GetProperty("inserts_used").GetInt64() - sandboxBefore.GetProperty("inserts_used").GetInt64(),
            after.GetProperty("uploads_used").GetInt64() - before.GetProperty("uploads_used").GetInt64());
        Assert.Equal(sandboxAfter.GetProperty("units_used").GetInt64() - sandboxBefore.GetProperty("units_used").GetInt64(),
            after.GetProperty("units_used").GetInt64() - before.GetProperty("units_used").GetInt64());
        Assert.Equal(after.GetProperty("uploads_limit").GetInt64() - after.GetProperty("uploads_used").GetInt64(), after.GetProperty("uploads_left").GetInt64());
        Assert.Equal(after.GetProperty("units_limit").GetInt64() - after.GetProperty("units_used").GetInt64(), after.GetProperty("units_left").GetInt64());

        // Live checks spend nothing of what they report: neither the sandbox's count nor Orbyt's budget moves.
        var again = (await RefreshedHealthAsync(scenario, youtube.ConnectionId)).GetProperty("quota").GetProperty("youtube");
        var sandboxAgain = await YouTubeQuotaAsync();
        Assert.Equal(sandboxAfter.GetProperty("units_used").GetInt64(), sandboxAgain.GetProperty("units_used").GetInt64());
        Assert.Equal(sandboxAfter.GetProperty("inserts_used").GetInt64(), sandboxAgain.GetProperty("inserts_used").GetInt64());
        Assert.Equal(after.GetProperty("units_used").GetInt64(), again.GetProperty("units_used").GetInt64());
        Assert.Equal(after.GetProperty("uploads_used").GetInt64(), again.GetProperty("uploads_used").GetInt64());
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task An_expired_token_is_found_by_health_which_marks_the_connection_reauth_required(string platform, string? login)
    {
        var scenario = await NewClientAsync("health-expired");
        var account = await ConnectKindAsync(scenario, platform, login);
        await using (var db = TestDatabase.Open(fixture))
        {
            var credential = await db.Connections.Where(c => c.Id == Guid.Parse(account.ConnectionId)).Select(c => c.Credential!).SingleAsync();
            var vault = TestDatabase.Vault(fixture);
            await ExpireAsync(vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken));
            // Google: the refresh token too, so the refresh health falls back on fails (invalid_grant), as a lapsed grant does.
            if (credential.RefreshTokenCiphertext is not null)
                await ExpireAsync(vault.Unprotect(credential.RefreshTokenCiphertext, VaultPurposes.RefreshToken));
        }

        await AssertMarkedDeadAsync(scenario, account);
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public async Task A_revoked_grant_is_found_by_health_which_marks_the_connection_reauth_required(string platform, string? login)
    {
        var scenario = await NewClientAsync("health-revoked");
        var identity = await scenario.NewIdentityAsync(login == "instagram" ? InstagramLoginTests.WithoutPage : null);
        var account = await scenario.ConnectAccountAsync(platform, login);
        var grant = platform == "youtube" ? "google" : login == "instagram" ? "instagram" : "meta";
        using (var revoke = await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/identities/{identity.GetProperty("id").GetString()}/revoke", new { platform = grant }))
            revoke.EnsureSuccessStatusCode();

        await AssertMarkedDeadAsync(scenario, account);
    }

    [Fact]
    public async Task Health_is_cached_refresh_is_bounded_per_connection_and_live_checks_are_limited_per_api_client()
    {
        var scenario = await NewClientAsync("health-limits");
        await scenario.NewIdentityAsync(new { pages = 2, instagram = false, google = false });
        var pages = await scenario.ConnectAsync("facebook");
        Assert.Equal(2, pages.Length);

        var first = await HealthAsync(scenario, pages[0]);
        var second = await HealthAsync(scenario, pages[0]);
        Assert.False(first.GetProperty("cached").GetBoolean());
        Assert.True(second.GetProperty("cached").GetBoolean());
        Assert.Equal(first.GetProperty("checked_at").GetDateTimeOffset(), second.GetProperty("checked_at").GetDateTimeOffset());

        // refresh=true right after a live check: the connection's slot holds it.
        using (var refused = await scenario.Api.SendAsync(HttpMethod.Get, HealthPath(scenario, pages[0], refresh: true)))
        {
            var problem = await AssertRateLimitedAsync(refused);
            Assert.Contains("checked live less than", problem.GetProperty("detail").GetString());
            Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, (int)AppHostFixture.HealthMinLiveInterval.TotalSeconds);
        }

        // Live checks of both connections, as fast as their slots allow, until the client's budget for the minute is spent.
        var live = 1;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(50);
        JsonElement? clientLimit = null;
        while (clientLimit is null && DateTime.UtcNow < deadline)
        {
            foreach (var id in pages)
            {
                using var response = await scenario.Api.SendAsync(HttpMethod.Get, HealthPath(scenario, id, refresh: true));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    live++;
                    Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cached").GetBoolean());
                    continue;
                }
                var problem = await AssertRateLimitedAsync(response);
                if (problem.GetProperty("detail").GetString()!.Contains("per minute"))
                {
                    clientLimit = problem;
                    Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single()), 1, 60);
                    break;
                }
            }
            await Task.Delay(Eventually.PollInterval);
        }
        Assert.True(clientLimit is not null, $"The client's live-check budget never ran out ({live} live checks).");
        // A fixed window of a minute: at most the budget in it, at most twice that when the test straddled a boundary.
        Assert.InRange(live, AppHostFixture.HealthLiveChecksPerMinute, 2 * AppHostFixture.HealthLiveChecksPerMinute);

        // Cached answers stay free while live checks are refused.
        var cached = await HealthAsync(scenario, pages[1]);
        Assert.True(cached.GetProperty("cached").GetBoolean());
    }

    [Fact]
    public async Task Include_health_answers_every_connection_of_the_user_and_other_clients_and_users_see_404()
    {
        var scenario = await NewClientAsync("health-list");
        await scenario.NewIdentityAsync(new { pages = 1, instagram = true });
        await scenario.ConnectAsync("facebook");
        await scenario.ConnectAsync("instagram");
        await scenario.ConnectAsync("youtube");

        var list = await scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={scenario.UserId}&include=health");
        var ids = list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray();
        Assert.Equal(3, ids.Length);
        var health = list.GetProperty("health").EnumerateArray().ToArray();
        Assert.Equal(ids, health.Select(h => h.GetProperty("connection_id").GetString()));
        Assert.All(health, h => Assert.True(h.GetProperty("token_valid").GetBoolean(), h.ToString()));
        Assert.Equal(["facebook", "instagram", "youtube"], health.Select(h => h.GetProperty("platform").GetString()!).Order());
        // Each item went through the cache: a single check answers from it now.
        Assert.True((await HealthAsync(scenario, ids[0]!)).GetProperty("cached").GetBoolean());

        var plain = await scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections?user_id={scenario.UserId}");
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("health").ValueKind);
        using (var bad = await scenario.Api.SendAsync(HttpMethod.Get, $"/v1/connections?user_id={scenario.UserId}&include=tokens"))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var other = await NewClientAsync("health-other");
        foreach (var (api, user) in new[] { (other.Api, scenario.UserId), (scenario.Api, "someone-else") })
        {
            using var response = await api.SendAsync(HttpMethod.Get, $"/v1/connections/{ids[0]}/health?user_id={user}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_throttled_account_at_100_percent_meta_usage_is_reported_without_pausing_or_taking_from_the_publishing_budgets()
    {
        var scenario = await NewClientAsync("health-usage");
        var instagram = await scenario.ConnectNewAccountAsync("instagram");
        (await fixture.Sandbox.PostAsJsonAsync("/_sandbox/usage", new { business = new Dictionary<string, object> { [instagram.AccountId] = new { call_count = 100 } } })).EnsureSuccessStatusCode();
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var db = redis.GetDatabase();
        var account = PlatformBudgetKeys.MetaAccount(instagram.AccountId);

        var health = await HealthAsync(scenario, instagram.ConnectionId);

        Assert.Equal(100, health.GetProperty("quota").GetProperty("meta_usage").GetProperty("account_percent").GetInt32());
        // At 100 % Meta throttles the account (80002): the check reports it and is not cached; the token itself is fine.
        Assert.Equal("platform_rate_limited", health.GetProperty("check_error").GetString());
        Assert.True(health.GetProperty("token_valid").GetBoolean());
        // What the Uploader would do with this answer (pause or slow the account) the health check leaves to the Uploader.
        Assert.False(await db.KeyExistsAsync(PlatformBudgetKeys.Key(account, "pause")));
        Assert.False(await db.KeyExistsAsync(PlatformBudgetKeys.Key(account, "slow")));
        Assert.Empty(health.GetProperty("pauses").EnumerateArray());
        Assert.Equal(0, (long?)await db.StringGetAsync(PlatformBudgetKeys.InstagramPublishingWindow(instagram.AccountId)) ?? 0);
    }

    // ---- steps ------------------------------------------------------------------------------------------------------

    /// <summary>A client of its own (its own live-check budget) and a user.</summary>
    private async Task<Scenario> NewClientAsync(string name)
    {
        var scenario = await Scenario.StartAsNewClientAsync(fixture, name);
        _scenarios.Add(scenario);
        return scenario;
    }

    private async Task<ConnectedAccount> ConnectKindAsync(Scenario scenario, string platform, string? login) =>
        await scenario.ConnectNewAccountAsync(platform, login == "instagram" ? InstagramLoginTests.WithoutPage : null, login);

    private static string HealthPath(Scenario scenario, string connectionId, bool refresh = false) =>
        $"/v1/connections/{connectionId}/health?user_id={scenario.UserId}" + (refresh ? "&refresh=true" : "");

    private static Task<JsonElement> HealthAsync(Scenario scenario, string connectionId) =>
        scenario.Api.JsonAsync(HttpMethod.Get, HealthPath(scenario, connectionId));

    /// <summary>A live check with refresh=true, once the connection's slot (a live check every 2 s at most) lets it through.</summary>
    private static async Task<JsonElement> RefreshedHealthAsync(Scenario scenario, string connectionId) =>
        await Eventually.ReadAsync(
            async () =>
            {
                using var response = await scenario.Api.SendAsync(HttpMethod.Get, HealthPath(scenario, connectionId, refresh: true));
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
            },
            health => health is not null, "a live health check", TimeSpan.FromSeconds(15)) ?? default;

    private static async Task PublishImageAsync(Scenario scenario, ConnectedAccount account, string image, string caption)
    {
        var job = await scenario.WaitForJobToFinishAsync(await scenario.PublishAsync(account.ConnectionId, "image", image, caption: caption));
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
    }

    private static async Task<JsonElement> AssertRateLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        return problem;
    }

    private async Task ExpireAsync(string token)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/tokens/expire", new { token });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> YouTubeQuotaAsync() =>
        (await fixture.Sandbox.GetFromJsonAsync<JsonElement>("/_sandbox/quotas")).GetProperty("youtube");

    /// <summary>Health finds the grant dead, says reconnect, marks the connection as the refresher does; the next answer needs no platform call.</summary>
    private async Task AssertMarkedDeadAsync(Scenario scenario, ConnectedAccount account)
    {
        var health = await HealthAsync(scenario, account.ConnectionId);
        Assert.False(health.GetProperty("token_valid").GetBoolean(), health.ToString());
        Assert.True(health.GetProperty("needs_reconnect").GetBoolean(), health.ToString());
        Assert.Equal("reauth_required", health.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, health.GetProperty("reason_detail").ValueKind);
        Assert.Equal("reauth_required", health.GetProperty("status").GetString());
        Assert.All(health.GetProperty("can_publish").EnumerateObject(), f =>
        {
            Assert.False(f.Value.GetProperty("ok").GetBoolean());
            Assert.Equal("reauth_required", f.Value.GetProperty("reason").GetString());
        });

        var connection = await scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{account.ConnectionId}?user_id={scenario.UserId}");
        Assert.Equal("reauth_required", connection.GetProperty("status").GetString());
        Assert.Equal(health.GetProperty("reason_detail").GetString(), connection.GetProperty("reauth_reason").GetString());
        await using (var db = TestDatabase.Open(fixture))
        {
            var connectionId = Guid.Parse(account.ConnectionId);
            var clientId = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.ClientId).SingleAsync();
            Assert.True(await db.WebhookEvents.AnyAsync(e => e.ClientId == clientId && e.Type == "connection.reauth_required"),
                "No connection.reauth_required event was recorded.");
        }

        var again = await HealthAsync(scenario, account.ConnectionId);
        Assert.Equal(JsonValueKind.Null, again.GetProperty("checked_at").ValueKind);
        Assert.True(again.GetProperty("needs_reconnect").GetBoolean());
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(s => s.GetString()!).ToArray();
}
