using Orbyt.Uploader.RateLimits;

namespace Orbyt.Tests.RateLimits;

public sealed class MetaUsageReportTests
{
    [Fact]
    public void The_app_figure_is_the_highest_of_its_percentages()
    {
        var report = MetaUsageReport.Parse("""{"call_count":28,"total_time":91,"total_cputime":25}""", null);

        Assert.Equal(91, report.AppMaxPercent);
        Assert.Empty(report.Business);
    }

    [Fact]
    public void Business_usage_gives_each_object_its_highest_percentage_and_regain_minutes()
    {
        var report = MetaUsageReport.Parse(null, """
            {"1000000000000001":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":19}],
             "17841400000000001":[{"type":"instagram","call_count":12,"total_cputime":92.5,"total_time":3,"estimated_time_to_regain_access":0}]}
            """);

        Assert.Null(report.AppMaxPercent);
        Assert.Equal(
            [new BusinessUsage("1000000000000001", "pages", 100, 19), new BusinessUsage("17841400000000001", "instagram", 93, 0)],
            report.Business);
    }

    [Theory]
    [InlineData("not json", "{\"x\":1}")]
    [InlineData("[1,2]", "[]")]
    [InlineData("", "")]
    [InlineData("{\"call_count\":\"high\"}", "{\"1\":\"pages\"}")]
    public void Malformed_headers_read_as_no_usage_and_never_throw(string app, string business)
    {
        var report = MetaUsageReport.Parse(app, business);

        Assert.True(report.AppMaxPercent is null or 0);
        Assert.Empty(report.Business);
    }
}

public sealed class PlatformClockTests
{
    [Theory]
    // Summer (PDT, UTC-7) and winter (PST, UTC-8); the day of the switch to winter time; just before midnight.
    [InlineData("2026-07-01T12:00:00Z", "2026-07-02T07:00:00Z")]
    [InlineData("2026-12-01T12:00:00Z", "2026-12-02T08:00:00Z")]
    [InlineData("2026-11-01T12:00:00Z", "2026-11-02T08:00:00Z")]
    [InlineData("2026-11-26T07:59:59Z", "2026-11-26T08:00:00Z")]
    [InlineData("2026-11-26T08:00:00Z", "2026-11-27T08:00:00Z")]
    public void The_next_youtube_quota_day_starts_at_midnight_in_los_angeles(string now, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            PlatformClock.NextPacificMidnight(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_platform_date_ahead_of_ours_moves_the_platform_clock_and_small_skews_are_ignored()
    {
        var local = new FixedTime(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var clock = new PlatformClock(local);

        clock.Observe(PlatformClock.YouTube, local.GetUtcNow().AddHours(5));
        clock.Observe(PlatformClock.Meta, local.GetUtcNow().AddSeconds(1));

        Assert.Equal(local.GetUtcNow().AddHours(5), clock.Now(PlatformClock.YouTube));
        Assert.Equal(local.GetUtcNow(), clock.Now(PlatformClock.Meta));
        Assert.Equal(local.GetUtcNow(), clock.ToLocal(PlatformClock.YouTube, local.GetUtcNow().AddHours(5)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
