using Orbyt.Core.Credentials;

namespace Orbyt.Tests.Refresh;

public sealed class TokenRefreshOptionsTests
{
    [Fact]
    public void Default_options_are_valid_and_nonsense_is_refused_with_the_setting_name()
    {
        var validator = new TokenRefreshOptionsValidator();

        Assert.True(validator.Validate(null, new TokenRefreshOptions()).Succeeded);
        var result = validator.Validate(null, new TokenRefreshOptions { Parallelism = 0, GoogleGrantCheckHours = 48 });
        Assert.True(result.Failed);
        Assert.Contains("Orbyt:TokenRefresher:Parallelism", result.FailureMessage);
        Assert.Contains("Orbyt:TokenRefresher:GoogleGrantCheckHours", result.FailureMessage);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(24, true)]
    [InlineData(168, true)]
    [InlineData(169, false)]
    public void Meta_tokens_are_checked_at_least_weekly_and_at_most_hourly(int hours, bool valid)
    {
        var result = new TokenRefreshOptionsValidator().Validate(null, new TokenRefreshOptions { MetaCheckHours = hours });

        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(TimeSpan.FromHours(hours), new TokenRefreshOptions { MetaCheckHours = hours }.MetaCheck);
    }

    [Fact]
    public void The_expiring_notice_and_the_meta_re_exchange_window_are_whole_days()
    {
        var options = new TokenRefreshOptions { ExpiringNoticeDays = 7, MetaReexchangeWithinDays = 30 };

        Assert.Equal(TimeSpan.FromDays(7), options.ExpiringNotice);
        Assert.Equal(TimeSpan.FromDays(30), options.MetaReexchangeWithin);
    }
}
