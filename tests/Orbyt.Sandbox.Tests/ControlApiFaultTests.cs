using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>Every scripted fault of /_sandbox/faults and the other control endpoints, seen over plain HTTP.</summary>
[Collection(SandboxCollection.Name)]
public sealed class ControlApiFaultTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Each scripted code carries the usage header of its own scope (reference §17.1): only 4 puts the app at 100 %,
    /// the business-use-case codes their object; 17 (a user), 32 (a Page with a user token), 613 (an endpoint) and
    /// 4/2207051 (one account's spam flag) leave every figure below 100.
    /// </summary>
    [Theory]
    [InlineData(4, null, true, false)]
    [InlineData(4, 2207051, false, false)]
    [InlineData(17, null, false, false)]
    [InlineData(32, null, false, false)]
    [InlineData(613, null, false, false)]
    [InlineData(80001, null, false, true)]
    [InlineData(80002, null, false, true)]
    public async Task A_scripted_meta_rate_limit_answers_its_code_with_the_usage_header_of_its_scope_once(int code, int? subcode, bool appAtLimit, bool businessAtLimit)
    {
        var (token, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        await sandbox.FaultAsync(new { kind = "rate_limit", platform = "meta", code, subcode, estimated_time_to_regain_access = 17, method = "GET" });

        var limited = await sandbox.Http.GetAsync($"graph/v24.0/{pageId}?access_token={token}");
        Assert.Equal(HttpStatusCode.BadRequest, limited.StatusCode);
        var error = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<int>());
        Assert.Equal(subcode, error["error_subcode"]?.GetValue<int>());
        Assert.Equal(subcode is null, error["is_transient"]!.GetValue<bool>());
        Assert.Contains($"(#{code})", limited.Headers.WwwAuthenticate.ToString());
        var app = limited.Headers.TryGetValues("X-App-Usage", out var appHeader) ? JsonNode.Parse(appHeader.Single())!["call_count"]!.GetValue<int>() : 0;
        Assert.Equal(appAtLimit, app == 100);
        var business = limited.Headers.TryGetValues("X-Business-Use-Case-Usage", out var businessHeader) ? JsonNode.Parse(businessHeader.Single())![pageId]![0]! : null;
        Assert.Equal(businessAtLimit, business?["call_count"]!.GetValue<int>() == 100);
        if (businessAtLimit)
        {
            Assert.Equal(17, business!["estimated_time_to_regain_access"]!.GetValue<int>());
        }

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/{pageId}?access_token={token}")).StatusCode);
    }

    [Fact]
    public async Task A_meta_rate_limit_can_carry_its_own_status_subcode_and_message_and_matches_only_its_method_and_path()
    {
        var (token, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        await sandbox.FaultAsync(new
        {
            kind = "rate_limit", platform = "meta", code = 613, subcode = 1996, status = 403, message = "(#613) Calls to this api have exceeded the rate limit.",
            method = "POST", path_prefix = $"/graph/v24.0/{pageId}/feed",
        });
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/{pageId}?access_token={token}")).StatusCode);

        var response = await sandbox.Http.PostAsync($"graph/v24.0/{pageId}/feed", new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "x", ["access_token"] = token }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal((613, 1996), FlowHelpers.GraphError(JsonNode.Parse(await response.Content.ReadAsStringAsync())!));
    }

    [Fact]
    public async Task A_fault_with_a_content_type_filter_matches_only_requests_whose_body_is_of_that_type()
    {
        // A Page photo by url (urlencoded) and the same call with a file part (multipart, §2.2) share path and method.
        var (userToken, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var token = await FlowHelpers.PageTokenAsync(sandbox, userToken, pageId);
        await sandbox.FaultAsync(new { kind = "error", platform = "meta", code = 2, status = 500, content_type = "multipart/form-data", method = "POST", path_prefix = $"/graph/v24.0/{pageId}/feed" });

        var form = await sandbox.Http.PostAsync($"graph/v24.0/{pageId}/feed", new FormUrlEncodedContent(new Dictionary<string, string> { ["message"] = "x", ["access_token"] = token }));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        using var multipart = new MultipartFormDataContent { { new StringContent("y"), "message" }, { new StringContent(token), "access_token" } };
        var matched = await sandbox.Http.PostAsync($"graph/v24.0/{pageId}/feed", multipart);
        Assert.Equal(HttpStatusCode.InternalServerError, matched.StatusCode);
        Assert.Equal(2, FlowHelpers.GraphError(JsonNode.Parse(await matched.Content.ReadAsStringAsync())!).Code);
    }

    [Fact]
    public async Task Scripted_business_usage_shows_in_the_header_and_at_100_percent_throttles_that_instagram_account_with_80002()
    {
        var (token, pageId, igId) = await FlowHelpers.MetaAccountAsync(sandbox);
        await sandbox.PostControlAsync("_sandbox/usage", new Dictionary<string, object>
        {
            ["business"] = new Dictionary<string, object>
            {
                [pageId] = new { call_count = 95, estimated_time_to_regain_access = 0 },
                [igId] = new { call_count = 100, estimated_time_to_regain_access = 19 },
            },
        });

        // A Page's business-use-case figures come with Page-token calls (user tokens are platform-limited, §17.1).
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, token, pageId);
        var page = await sandbox.Http.GetAsync($"graph/v24.0/{pageId}?access_token={pageToken}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(95, JsonNode.Parse(page.Headers.GetValues("X-Business-Use-Case-Usage").Single())![pageId]![0]!["call_count"]!.GetValue<int>());

        var ig = await sandbox.Http.GetAsync($"graph/v24.0/{igId}?access_token={token}");
        Assert.Equal(80002, FlowHelpers.GraphError(JsonNode.Parse(await ig.Content.ReadAsStringAsync())!).Code);
        var usage = JsonNode.Parse(ig.Headers.GetValues("X-Business-Use-Case-Usage").Single())![igId]![0]!;
        Assert.Equal(("instagram", 19), (usage["type"]!.GetValue<string>(), usage["estimated_time_to_regain_access"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("rateLimitExceeded", 403, "usageLimits")]
    [InlineData("userRateLimitExceeded", 403, "usageLimits")]
    [InlineData("quotaExceeded", 403, "youtube.quota")]
    [InlineData("uploadLimitExceeded", 400, "youtube.video")]
    [InlineData("uploadRateLimitExceeded", 429, "youtube.video")]
    [InlineData("tooManyRequests", 429, "youtube.video")]
    public async Task A_scripted_youtube_rate_limit_answers_googles_envelope_for_that_reason_once(string reason, int status, string domain)
    {
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        var token = tokens["access_token"]!.GetValue<string>();
        await sandbox.FaultAsync(new { kind = "rate_limit", platform = "youtube", reason });

        var limited = await sandbox.BearerGetAsync("youtube/youtube/v3/channels?part=id&mine=true", token);
        Assert.Equal(status, (int)limited.StatusCode);
        var error = JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(status, error["code"]!.GetValue<int>());
        Assert.Equal((reason, domain), (error["errors"]![0]!["reason"]!.GetValue<string>(), error["errors"]![0]!["domain"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.BearerGetAsync("youtube/youtube/v3/channels?part=id&mine=true", token)).StatusCode);
    }

    [Fact]
    public async Task Transient_faults_answer_503_on_googles_token_endpoint_and_on_mux_then_the_next_call_succeeds()
    {
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        var refresh = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens["refresh_token"]!.GetValue<string>(),
            ["client_id"] = FlowHelpers.GoogleClientId, ["client_secret"] = FlowHelpers.GoogleSecret,
        };
        await sandbox.FaultAsync(new { kind = "transient", platform = "google", path_prefix = "/google-oauth2/token" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sandbox.Http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(refresh))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(refresh))).StatusCode);

        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 1000 });
        await sandbox.FaultAsync(new { kind = "transient", platform = "mux", count = 2 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sandbox.Http.GetAsync(asset["url"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sandbox.Http.GetAsync(asset["url"]!.GetValue<string>())).StatusCode);
        Assert.Equal(1000, (await sandbox.Http.GetByteArrayAsync(asset["url"]!.GetValue<string>())).Length);
    }

    [Fact]
    public async Task A_fault_with_skip_lets_that_many_matching_requests_through_then_applies_count_times()
    {
        // Two calls on one method and path (a reel's start, then its finish): skip 1 makes the second one fail.
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 1000 });
        var url = asset["url"]!.GetValue<string>();
        var rule = await sandbox.PostControlAsync("_sandbox/faults", new { kind = "transient", platform = "mux", skip = 1, count = 1 });
        Assert.Equal(1, rule["skip_remaining"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync(url)).StatusCode);
        var listed = (await sandbox.GetJsonAsync("_sandbox/faults"))["data"]![0]!;
        Assert.Equal((0, 1), (listed["skip_remaining"]!.GetValue<int>(), listed["remaining"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await sandbox.Http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync(url)).StatusCode);
        Assert.Equal(0, (await sandbox.GetJsonAsync("_sandbox/faults"))["data"]![0]!["remaining"]!.GetValue<int>());
    }

    [Fact]
    public async Task Faults_are_listed_with_what_remains_cleared_by_DELETE_and_an_unknown_kind_is_refused()
    {
        var rule = await sandbox.PostControlAsync("_sandbox/faults", new { kind = "transient", platform = "mux", count = 3 });
        Assert.StartsWith("fault-", rule["id"]!.GetValue<string>());
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 1000 });
        await sandbox.Http.GetAsync(asset["url"]!.GetValue<string>());
        Assert.Equal(2, (await sandbox.GetJsonAsync("_sandbox/faults"))["data"]![0]!["remaining"]!.GetValue<int>());

        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.DeleteAsync("_sandbox/faults")).StatusCode);
        Assert.Empty((await sandbox.GetJsonAsync("_sandbox/faults"))["data"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync(asset["url"]!.GetValue<string>())).StatusCode);

        var unknown = await sandbox.Http.PostAsJsonAsync("_sandbox/faults", new { kind = "meteor_strike" }, SandboxFixture.Snake);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Theory]
    [InlineData("duplicate", "rejected", "rejectionReason")]
    [InlineData("invalidFile", "failed", "failureReason")]
    public async Task A_scripted_youtube_processing_failure_ends_as_failed_or_rejected_by_its_reason(string reason, string uploadStatus, string reasonField)
    {
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        var token = tokens["access_token"]!.GetValue<string>();
        await sandbox.FaultAsync(new { kind = "processing_failure", platform = "youtube", reason });
        using var start = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status")
        {
            Content = JsonContent.Create(new { snippet = new { title = "Fails" } }),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        start.Headers.Add("X-Upload-Content-Length", "100");
        var session = (await sandbox.Http.SendAsync(start)).Headers.Location!;
        var put = await sandbox.Http.PutAsync(session, new ByteArrayContent(FlowHelpers.FakeMp4(100)));
        var id = JsonNode.Parse(await put.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        await sandbox.AdvanceClockAsync(61);
        var video = JsonNode.Parse(await (await sandbox.BearerGetAsync($"youtube/youtube/v3/videos?id={id}&part=status", token)).Content.ReadAsStringAsync())!["items"]![0]!;
        Assert.Equal((uploadStatus, reason), (video["status"]!["uploadStatus"]!.GetValue<string>(), video["status"]![reasonField]!.GetValue<string>()));
    }

    [Fact]
    public async Task Exhausting_the_youtube_unit_quota_refuses_reads_with_quotaExceeded_but_not_the_separate_insert_bucket()
    {
        var tokens = await FlowHelpers.GoogleTokensAsync(sandbox, "identity-1");
        var token = tokens["access_token"]!.GetValue<string>();
        await sandbox.PostControlAsync("_sandbox/quotas/exhaust", new { quota = "youtube_units" });

        var read = await sandbox.BearerGetAsync("youtube/youtube/v3/channels?part=id&mine=true", token);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Contains("\"quotaExceeded\"", await read.Content.ReadAsStringAsync());

        using var start = new HttpRequestMessage(HttpMethod.Post, "youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet")
        {
            Content = JsonContent.Create(new { snippet = new { title = "Still allowed" } }),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.SendAsync(start)).StatusCode);
        var quotas = (await sandbox.GetJsonAsync("_sandbox/quotas"))["youtube"]!;
        Assert.Equal((1, 10_000), (quotas["inserts_used"]!.GetValue<int>(), quotas["units_used"]!.GetValue<int>()));

        var unknown = await sandbox.Http.PostAsJsonAsync("_sandbox/quotas/exhaust", new { quota = "tiktok" }, SandboxFixture.Snake);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Reset_clears_identities_settings_faults_published_items_and_the_clock_and_hands_out_the_same_ids_again()
    {
        var (token, pageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        var pageToken = await FlowHelpers.PageTokenAsync(sandbox, token, pageId);
        await sandbox.PostGraphAsync($"{pageId}/feed", new() { ["message"] = "before reset", ["access_token"] = pageToken });
        Assert.Single(await sandbox.PublishedAsync(pageId));
        await sandbox.PostControlAsync("_sandbox/identities", new { name = "Extra" });
        await sandbox.FaultAsync(new { kind = "transient", platform = "mux" });
        await sandbox.SettingsAsync(new { ig_content_publishing_limit = 3 });
        await sandbox.PostControlAsync("_sandbox/usage", new { app = new { call_count = 100 } });
        var moved = await sandbox.PostControlAsync("_sandbox/clock/advance", new { seconds = 3600 });
        Assert.Equal(3600, moved["offset_seconds"]!.GetValue<double>());

        await sandbox.ResetAsync();
        Assert.Single((await sandbox.GetJsonAsync("_sandbox/identities"))["data"]!.AsArray());
        Assert.Empty((await sandbox.GetJsonAsync("_sandbox/faults"))["data"]!.AsArray());
        Assert.Empty(await sandbox.PublishedAsync(pageId));
        Assert.Equal(50, (await sandbox.GetJsonAsync("_sandbox/settings"))["ig_content_publishing_limit"]!.GetValue<int>());
        Assert.Equal(0, (await sandbox.GetJsonAsync("_sandbox/clock"))["offset_seconds"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.BadRequest, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={token}")).StatusCode);

        var (again, samePageId, _) = await FlowHelpers.MetaAccountAsync(sandbox);
        Assert.Equal((token, pageId), (again, samePageId));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync($"graph/v24.0/me?access_token={again}")).StatusCode);
    }
}
