using Orbyt.Core.RateLimits;
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
