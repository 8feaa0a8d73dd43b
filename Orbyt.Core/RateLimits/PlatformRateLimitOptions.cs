namespace Orbyt.Core.RateLimits;

/// <summary>
/// <c>Orbyt:RateLimits</c>: the platform budgets every Uploader replica shares through Redis, and how usage reports
/// and rate-limit errors slow a scope down or stop it (docs/rate-limits.md).
/// </summary>
public sealed class PlatformRateLimitOptions
{
    public const string Section = "Orbyt:RateLimits";

    /// <summary>
    /// A safety cap on Meta calls by this app, all accounts together (0 = none). Meta's own limits follow its usage
    /// headers and errors; this only stops a runaway. Meta's app limit is 200 × daily active users per hour, and calls
    /// with Page tokens count against each Page's business-use-case limit instead.
    /// </summary>
    public CallBudget MetaApp { get; set; } = new() { Limit = 50_000, Window = TimeSpan.FromHours(1) };

    /// <summary>
    /// A safety cap on Meta calls per Page or Instagram account (0 = none); Meta's real limit (4,800 × engaged users
    /// or impressions per 24 h) is followed through X-Business-Use-Case-Usage.
    /// </summary>
    public CallBudget MetaAccount { get; set; } = new() { Limit = 5_000, Window = TimeSpan.FromHours(1) };

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
    /// How long publishing to an Instagram account stops after Meta restricted it as possible spam (4/2207051): Meta
    /// says to stop for hours; it is not a quota and no regain time comes with it.
    /// </summary>
    public TimeSpan AccountRestrictionPause { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// The longest a job waits before it looks again (the Instagram 24-hour window: the platform's own count is
    /// re-read, since posts made elsewhere and window ends are not known here).
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(30);
}
