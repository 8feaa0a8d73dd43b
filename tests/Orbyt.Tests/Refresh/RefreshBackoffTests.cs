using Orbyt.Core.Credentials;

namespace Orbyt.Tests.Refresh;

/// <summary>How long the refresher waits after a transient failure before it checks the credential again.</summary>
public sealed class RefreshBackoffTests
{
    private static readonly RefreshBackoff Backoff = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(50, 3600)]
    public void The_delay_doubles_per_failure_up_to_the_cap(int failures, double ceilingSeconds)
    {
        Assert.Equal(ceilingSeconds, Backoff.Delay(failures, 1.0).TotalSeconds, 3);
        Assert.Equal(ceilingSeconds / 2, Backoff.Delay(failures, 0.0).TotalSeconds, 3);
    }

    [Fact]
    public void Jitter_spreads_replicas_over_the_upper_half_of_the_window()
    {
        var delays = Enumerable.Range(0, 1000).Select(i => Backoff.Delay(4, i / 999.0).TotalSeconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 120, 240));
        Assert.True(delays.Distinct().Count() > 900);
    }

    [Fact]
    public void A_first_failure_or_none_waits_the_base_delay()
    {
        Assert.Equal(30, Backoff.Delay(1, 1.0).TotalSeconds, 3);
        Assert.Equal(30, Backoff.Delay(0, 1.0).TotalSeconds, 3);
    }

    [Theory]
    [InlineData(-1.0, 60)]
    [InlineData(2.0, 120)]
    public void A_random_draw_outside_zero_to_one_stays_within_the_window(double random, double expectedSeconds)
    {
        Assert.Equal(expectedSeconds, Backoff.Delay(3, random).TotalSeconds, 3);
    }

    [Fact]
    public void The_configured_base_and_cap_are_the_backoff_the_refresher_uses()
    {
        var backoff = new TokenRefreshOptions { BackoffBaseSeconds = 10, BackoffMaxSeconds = 100 }.Backoff;

        Assert.Equal(10, backoff.Delay(1, 1.0).TotalSeconds, 3);
        Assert.Equal(80, backoff.Delay(4, 1.0).TotalSeconds, 3);
        Assert.Equal(100, backoff.Delay(5, 1.0).TotalSeconds, 3);
    }
}
