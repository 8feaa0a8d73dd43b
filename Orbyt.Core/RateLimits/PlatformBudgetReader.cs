using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Orbyt.Core.RateLimits;

/// <summary>
/// Reads the platform budgets the Uploader keeps in Redis, without taking from them or changing them: what a
/// connection's health reports (YouTube's uploads and units used today, a scope's pause and why). Reading costs no
/// budget, so the health check never spends what it reports.
/// </summary>
public sealed class PlatformBudgetReader(IConnectionMultiplexer redis, PlatformClock clock, IOptionsMonitor<PlatformRateLimitOptions> options)
{
    /// <summary>Today's YouTube figures (the Pacific day on Google's clock, as the Uploader counts them), with the buckets' pauses.</summary>
    public async Task<YouTubeBudgetReading> ReadYouTubeAsync()
    {
        var now = clock.Now(PlatformClock.YouTube);
        var day = PlatformClock.PacificDay(now);
        var db = redis.GetDatabase();
        var uploads = db.StringGetAsync(PlatformBudgetKeys.Window(PlatformBudgetKeys.YouTubeUploads, day));
        var units = db.StringGetAsync(PlatformBudgetKeys.Window(PlatformBudgetKeys.YouTubeUnits, day));
        var uploadsPause = ReadPauseAsync(PlatformBudgetKeys.YouTubeUploads);
        var unitsPause = ReadPauseAsync(PlatformBudgetKeys.YouTubeUnits);
        var o = options.CurrentValue;
        return new YouTubeBudgetReading(
            (long?)await uploads ?? 0, o.YouTubeDailyUploads,
            (long?)await units ?? 0, o.YouTubeDailyUnits,
            clock.ToLocal(PlatformClock.YouTube, PlatformClock.NextPacificMidnight(now)),
            await uploadsPause, await unitsPause);
    }

    /// <summary>The pause on a scope (a rate-limit error, a regain time, a restriction): until when on our clock and why; null when none.</summary>
    public async Task<BudgetPause?> ReadPauseAsync(string scope)
    {
        var key = PlatformBudgetKeys.Key(scope, "pause");
        var db = redis.GetDatabase();
        var ttl = db.KeyTimeToLiveAsync(key);
        var reason = db.StringGetAsync(key);
        return await ttl is { } left && left > TimeSpan.Zero && await reason is { HasValue: true } why
            ? new BudgetPause(scope, clock.Local.GetUtcNow() + left, why.ToString())
            : null;
    }
}

/// <summary>A scope's pause: no calls on it until <paramref name="Until"/>; <paramref name="Reason"/> as the Uploader recorded it.</summary>
public sealed record BudgetPause(string Scope, DateTimeOffset Until, string Reason);

/// <summary>What the YouTube budgets hold today: used and limit of the upload bucket and of the units, when the day ends, and any pause.</summary>
public sealed record YouTubeBudgetReading(
    long UploadsUsed, long UploadsLimit, long UnitsUsed, long UnitsLimit, DateTimeOffset ResetsAt, BudgetPause? UploadsPause, BudgetPause? UnitsPause);
