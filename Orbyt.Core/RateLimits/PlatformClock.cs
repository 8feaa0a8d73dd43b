using System.Collections.Concurrent;

namespace Orbyt.Core.RateLimits;

/// <summary>
/// The time as each platform sees it, from the <c>Date</c> header of its last response. Platform windows (YouTube's
/// day ends at midnight Pacific on Google's clock; Instagram's 24-hour window) are computed on that clock, so a skewed
/// local clock — or the sandbox's movable clock — does not shift them.
/// </summary>
public sealed class PlatformClock(TimeProvider time)
{
    public const string Meta = "meta";
    public const string YouTube = "youtube";

    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private readonly ConcurrentDictionary<string, long> _skewTicks = new();

    public TimeProvider Local => time;

    /// <summary>Records the platform's <c>Date</c> header (second resolution; skews under two seconds are ignored).</summary>
    public void Observe(string platform, DateTimeOffset? date)
    {
        if (date is null) return;
        var skew = date.Value - time.GetUtcNow();
        _skewTicks[platform] = skew.Duration() < TimeSpan.FromSeconds(2) ? 0 : skew.Ticks;
    }

    public TimeSpan Skew(string platform) => TimeSpan.FromTicks(_skewTicks.GetValueOrDefault(platform));

    public DateTimeOffset Now(string platform) => time.GetUtcNow() + Skew(platform);

    /// <summary>The local time at which the platform's clock shows <paramref name="platformTime"/>.</summary>
    public DateTimeOffset ToLocal(string platform, DateTimeOffset platformTime) => platformTime - Skew(platform);

    /// <summary>The next midnight America/Los_Angeles after <paramref name="platformNow"/> (YouTube's quota day).</summary>
    public static DateTimeOffset NextPacificMidnight(DateTimeOffset platformNow)
    {
        var local = TimeZoneInfo.ConvertTime(platformNow, Pacific);
        var next = local.Date.AddDays(1);
        return new DateTimeOffset(next, Pacific.GetUtcOffset(next));
    }

    /// <summary>The Pacific date of <paramref name="platformNow"/>, naming the YouTube quota day.</summary>
    public static string PacificDay(DateTimeOffset platformNow) => TimeZoneInfo.ConvertTime(platformNow, Pacific).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
}
