using Orbyt.Core.RateLimits;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Tests.RateLimits;

/// <summary>Each Meta signal stops the scope it is about (reference §17.1, §17.2), and only that one.</summary>
public sealed class MetaRateLimitSignalsTests
{
    private static readonly PlatformRateLimitOptions Options = new();
    private static readonly MetaCallTarget Instagram = new("17841400000000001", "1000000000000009");

    private static IReadOnlyList<ScopeAction> Error(int code, int? subcode, MetaUsageReport? usage = null) =>
        MetaRateLimitSignals.Read(Instagram, "media_publish", usage ?? MetaUsageReport.None, (code, subcode), Options);

    [Fact]
    public void Code_4_with_instagrams_spam_subcode_pauses_that_account_for_hours_and_never_the_app()
    {
        var action = Assert.Single(Error(4, 2207051));

        Assert.Equal(new ScopeAction.Pause("meta:account:17841400000000001", Options.AccountRestrictionPause, MetaRateLimitSignals.AccountRestricted), action);
        Assert.True(Options.AccountRestrictionPause >= TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(341, null)]
    public void The_apps_own_limit_pauses_the_app(int code, int? subcode) =>
        Assert.Equal(PlatformBudgets.MetaApp, Assert.IsType<ScopeAction.Pause>(Assert.Single(Error(code, subcode))).Scope);

    [Fact]
    public void Code_17_pauses_the_user_behind_the_token_and_falls_back_to_the_account_when_the_user_is_unknown()
    {
        Assert.Equal("meta:user:1000000000000009", Assert.Single(Error(17, null)).Scope);
        var unknownUser = MetaRateLimitSignals.Read(Instagram with { UserId = null }, "media", MetaUsageReport.None, (17, null), Options);
        Assert.Equal("meta:account:17841400000000001", Assert.Single(unknownUser).Scope);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(80001)]
    [InlineData(80002)]
    public void Page_and_business_use_case_codes_pause_the_page_or_account(int code) =>
        Assert.Equal("meta:account:17841400000000001", Assert.Single(Error(code, null)).Scope);

    [Fact]
    public void A_business_use_case_error_waits_the_regain_time_the_same_answer_gives_for_that_object()
    {
        var usage = MetaUsageReport.Parse(null, """{"17841400000000001":[{"type":"instagram","call_count":100,"estimated_time_to_regain_access":19}]}""");

        var actions = Error(80002, null, usage);

        Assert.All(actions, a => Assert.Equal(new ScopeAction.Pause("meta:account:17841400000000001", TimeSpan.FromMinutes(19), a.Reason), a));
        Assert.DoesNotContain(actions, a => a.Scope == PlatformBudgets.MetaApp);
    }

    [Fact]
    public void Code_613_pauses_its_endpoint_and_613_1996_only_slows_the_app()
    {
        Assert.Equal("meta:endpoint:media_publish", Assert.IsType<ScopeAction.Pause>(Assert.Single(Error(613, null))).Scope);
        Assert.Equal(PlatformBudgets.MetaApp, Assert.IsType<ScopeAction.SlowDown>(Assert.Single(Error(613, 1996))).Scope);
    }

    [Fact]
    public void Usage_headers_slow_down_near_100_percent_and_stop_each_object_for_its_own_regain_time()
    {
        var usage = MetaUsageReport.Parse("""{"call_count":93,"total_time":10,"total_cputime":10}""",
            """{"111":[{"type":"pages","call_count":97,"estimated_time_to_regain_access":0}],"222":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":7}],"333":[{"type":"pages","call_count":40}]}""");

        var actions = MetaRateLimitSignals.Read(null, "photos", usage, null, Options);

        Assert.Equal(
        new ScopeAction[]
        {
            new ScopeAction.SlowDown(PlatformBudgets.MetaApp, 93, "usage_high"),
            new ScopeAction.SlowDown("meta:account:111", 97, "usage_high"),
            new ScopeAction.Pause("meta:account:222", TimeSpan.FromMinutes(7), "estimated_time_to_regain_access"),
        }, actions);
    }

    [Fact]
    public void X_page_usage_applies_to_the_page_the_call_was_for()
    {
        var usage = MetaUsageReport.Parse(null, null, """{"call_count":100,"total_time":20,"total_cputime":20,"estimated_time_to_regain_access":3}""");

        var action = Assert.Single(MetaRateLimitSignals.Read(new MetaCallTarget("555", null), "feed", usage, null, Options));

        Assert.Equal(new ScopeAction.Pause("meta:account:555", TimeSpan.FromMinutes(3), "estimated_time_to_regain_access"), action);
    }

    [Theory]
    [InlineData("https://graph.facebook.com/v24.0/17841400000000001/media_publish", "media_publish")]
    [InlineData("http://localhost:5190/graph/v24.0/17841400000000001/media", "media")]
    [InlineData("https://graph.facebook.com/v24.0/17890000000000001", "node")]
    [InlineData("https://graph.facebook.com/v24.0/1000000000000001_2", "node")]
    [InlineData("https://graph.facebook.com/v24.0/upload:MTphdHRhY2htZW50", "node")]
    public void The_endpoint_is_the_graph_edge_of_the_request(string url, string endpoint) =>
        Assert.Equal(endpoint, MetaRateLimitSignals.Endpoint(new Uri(url)));

    [Fact]
    public void A_call_draws_from_the_app_the_user_the_account_and_the_endpoint()
    {
        Assert.Equal(["meta:app", "meta:user:1000000000000009", "meta:account:17841400000000001", "meta:endpoint:media"],
            MetaRateLimitSignals.ScopesOf(Instagram, "media").ToArray());
    }
}
