namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// <c>Orbyt:RateLimits</c>: the platform budgets every Uploader replica shares through Redis, and how usage reports
/// and rate-limit errors slow a scope down or stop it (docs/rate-limits.md).
/// </summary>
public sealed class PlatformRateLimitOptions
{
    public const string Section = "Orbyt:RateLimits";

    /// <summary>Meta calls by this app, all accounts together (Meta's app limit is 200 × daily active users per hour).</summary>
    public CallBudget MetaApp { get; set; } = new() { Limit = 4_000, Window = TimeSpan.FromHours(1) };

    /// <summary>Meta calls per Page or Instagram account (Meta's business-use-case limits are per object).</summary>
    public CallBudget MetaAccount { get; set; } = new() { Limit = 600, Window = TimeSpan.FromHours(1) };

    /// <summary>videos.insert calls per day (YouTube's own bucket: 100 a day since 2026-06), reset at midnight Pacific.</summary>
    public long YouTubeDailyUploads { get; set; } = 100;

    /// <summary>YouTube quota units per day for everything but uploads (10,000), reset at midnight Pacific.</summary>
    public long YouTubeDailyUnits { get; set; } = 10_000;

    /// <summary>Above this percentage of any figure in X-App-Usage / X-Business-Use-Case-Usage a scope slows down.</summary>
    public int SlowDownAbovePercent { get; set; } = 90;

    /// <summary>The least time between two calls on a slowed scope.</summary>
    public TimeSpan SlowDownSpacing { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a slow-down lasts after the last high usage report.</summary>
    public TimeSpan SlowDownFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a scope stops after a rate-limit error that gives no regain time.</summary>
    public TimeSpan DefaultPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest a job waits before it looks again (the Instagram 24-hour window: the platform's own count is
    /// re-read, since posts made elsewhere and window ends are not known here).
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(30);
}
