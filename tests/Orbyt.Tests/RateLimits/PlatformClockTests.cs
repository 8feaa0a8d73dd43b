using Orbyt.Core.RateLimits;
using Microsoft.Extensions.Time.Testing;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Tests.RateLimits;

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
        var local = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var clock = new PlatformClock(local);

        clock.Observe(PlatformClock.YouTube, local.GetUtcNow().AddHours(5));
        clock.Observe(PlatformClock.Meta, local.GetUtcNow().AddSeconds(1));

        Assert.Equal(local.GetUtcNow().AddHours(5), clock.Now(PlatformClock.YouTube));
        Assert.Equal(local.GetUtcNow(), clock.Now(PlatformClock.Meta));
        Assert.Equal(local.GetUtcNow(), clock.ToLocal(PlatformClock.YouTube, local.GetUtcNow().AddHours(5)));
    }

    [Fact]
    public void The_observed_skew_stays_with_the_platform_clock_as_local_time_passes()
    {
        var local = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var clock = new PlatformClock(local);
        clock.Observe(PlatformClock.YouTube, local.GetUtcNow().AddHours(5));

        local.Advance(TimeSpan.FromMinutes(90));

        Assert.Equal(local.GetUtcNow().AddHours(5), clock.Now(PlatformClock.YouTube));
        Assert.Equal(local.GetUtcNow(), clock.Now(PlatformClock.Meta));
    }
}
