using Orbyt.Core.RateLimits;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// The platform call budgets, in Redis so every Uploader replica draws from the same ones. Each scope has a
/// fixed-window counter, a pause (set by a rate-limit error or a regain time: no calls until it lapses) and a
/// slow-down (set by a usage report above the threshold: at most one call per spacing). One Lua script checks every
/// scope of a call and takes from all of them, or from none and says how long to wait.
/// </summary>
public sealed class PlatformBudgets(IConnectionMultiplexer redis, PlatformClock clock, IOptionsMonitor<PlatformRateLimitOptions> options)
{
    public const string MetaApp = PlatformBudgetKeys.MetaApp;
    public const string YouTubeUploads = PlatformBudgetKeys.YouTubeUploads;
    public const string YouTubeUnits = PlatformBudgetKeys.YouTubeUnits;

    // KEYS per scope: pause, slow, slot, counter. ARGV: dry-run flag, then per scope: limit, window ms, cost.
    // Returns {wait ms, index of the scope that holds the call longest (-1: none), why: the pause's reason, slowed or cap}.
    private const string AcquireScript = """
        local n = #KEYS / 4
        local wait = 0
        local who = -1
        local why = ''
        for i = 0, n - 1 do
          local pause = redis.call('PTTL', KEYS[i*4+1])
          if pause > wait then wait = pause; who = i; why = redis.call('GET', KEYS[i*4+1]) or 'paused' end
          local slot = redis.call('PTTL', KEYS[i*4+3])
          if slot > wait then wait = slot; who = i; why = 'slowed' end
          local limit = tonumber(ARGV[2 + i*3])
          if limit > 0 then
            local used = tonumber(redis.call('GET', KEYS[i*4+4]) or '0')
            if used + tonumber(ARGV[4 + i*3]) > limit then
              local left = redis.call('PTTL', KEYS[i*4+4])
              if left < 0 then left = tonumber(ARGV[3 + i*3]) end
              if left > wait then wait = left; who = i; why = 'cap' end
            end
          end
        end
        if wait > 0 or ARGV[1] == '1' then return {wait, who, why} end
        for i = 0, n - 1 do
          local limit = tonumber(ARGV[2 + i*3])
          if limit > 0 then
            local cost = tonumber(ARGV[4 + i*3])
            if redis.call('INCRBY', KEYS[i*4+4], cost) == cost then redis.call('PEXPIRE', KEYS[i*4+4], ARGV[3 + i*3]) end
          end
          local spacing = tonumber(redis.call('GET', KEYS[i*4+2]) or '0')
          if spacing > 0 then redis.call('SET', KEYS[i*4+3], '1', 'PX', spacing) end
        end
        return {0, -1, ''}
        """;

    // Extends a pause, never shortens one.
    private const string PauseScript = """
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1]) end
        return 0
        """;

    // The Instagram 24-hour publishing window: members are jobs, scores the platform time of their publish (ms).
    private const string ReserveScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
        if redis.call('ZSCORE', KEYS[1], ARGV[5]) then return -1 end
        local used = redis.call('ZCARD', KEYS[1])
        if tonumber(ARGV[3]) > used then used = tonumber(ARGV[3]) end
        if used >= tonumber(ARGV[4]) then
          local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
          if oldest[2] then return tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1]) end
          return tonumber(ARGV[2])
        end
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return -1
        """;

    public PlatformRateLimitOptions Options => options.CurrentValue;

    public BudgetScope MetaAppScope() => Fixed(MetaApp, Options.MetaApp);

    public BudgetScope MetaAccountScope(string accountId) => Fixed(MetaAccountName(accountId), Options.MetaAccount);

    public static string MetaAccountName(string accountId) => PlatformBudgetKeys.MetaAccount(accountId);

    /// <summary>A scope with no counted limit: only pauses and slow-downs hold its calls (a Meta user, a Graph endpoint).</summary>
    public static BudgetScope Uncounted(string name) => new(name, 0, "-", TimeSpan.FromMilliseconds(1));

    public BudgetScope YouTubeUploadScope() => PacificDay(YouTubeUploads, Options.YouTubeDailyUploads, 1);

    public BudgetScope YouTubeUnitScope(long cost = 1) => PacificDay(YouTubeUnits, Options.YouTubeDailyUnits, cost);

    /// <summary>Takes one call from every scope, or from none: null when granted, otherwise how long to wait.</summary>
    public async Task<TimeSpan?> TryAcquireAsync(params BudgetScope[] scopes) => (await RunAsync(scopes, dryRun: false))?.Wait;

    /// <summary>Takes one call from every scope, or from none: null when granted, otherwise which scope holds it, why and how long.</summary>
    public Task<BudgetRefusal?> TryAcquireOrExplainAsync(params BudgetScope[] scopes) => RunAsync(scopes, dryRun: false);

    /// <summary>How long until a call on these scopes would be granted (null: now), without taking anything.</summary>
    public async Task<TimeSpan?> WaitTimeAsync(params BudgetScope[] scopes) => (await RunAsync(scopes, dryRun: true))?.Wait;

    /// <summary>Stops a scope for <paramref name="duration"/> (a longer pause already set stays).</summary>
    public async Task PauseAsync(string scope, TimeSpan duration, string reason)
    {
        if (duration <= TimeSpan.Zero) return;
        Activity.Current?.AddEvent(new ActivityEvent("orbyt.ratelimit.pause", tags: new ActivityTagsCollection
        {
            ["orbyt.ratelimit.scope"] = scope, ["orbyt.ratelimit.seconds"] = duration.TotalSeconds, ["orbyt.ratelimit.reason"] = reason,
        }));
        await redis.GetDatabase().ScriptEvaluateAsync(PauseScript, [Key(scope, "pause")], [(long)Math.Ceiling(duration.TotalMilliseconds), reason]);
    }

    /// <summary>Applies what a platform answer asked of a scope.</summary>
    public Task ApplyAsync(ScopeAction action) => action switch
    {
        ScopeAction.Pause pause => PauseAsync(pause.Scope, pause.Duration, pause.Reason),
        ScopeAction.SlowDown slow => SlowDownAsync(slow.Scope, slow.Percent),
        _ => Task.CompletedTask,
    };

    /// <summary>Lets at most one call per <see cref="PlatformRateLimitOptions.SlowDownSpacing"/> through on a scope for a while.</summary>
    public async Task SlowDownAsync(string scope, int percent)
    {
        Activity.Current?.AddEvent(new ActivityEvent("orbyt.ratelimit.slow_down", tags: new ActivityTagsCollection
        {
            ["orbyt.ratelimit.scope"] = scope, ["orbyt.ratelimit.usage_percent"] = percent,
        }));
        await redis.GetDatabase().StringSetAsync(Key(scope, "slow"), (long)Options.SlowDownSpacing.TotalMilliseconds, Options.SlowDownFor);
    }

    /// <summary>
    /// Reserves one Instagram publish in the account's rolling 24 hours, counting the platform's reported usage and
    /// every reservation made here (other replicas' publishes in flight). Null when reserved (or already reserved
    /// by this job), otherwise how long until the oldest known publish leaves the window.
    /// </summary>
    public async Task<TimeSpan?> ReserveInstagramPublishAsync(string igUserId, string jobId, long platformUsage, long platformTotal, TimeSpan window)
    {
        var now = clock.Now(PlatformClock.Meta).ToUnixTimeMilliseconds();
        var result = (long)await redis.GetDatabase().ScriptEvaluateAsync(ReserveScript, [PlatformBudgetKeys.InstagramPublishingWindow(igUserId)],
            [now, (long)window.TotalMilliseconds, platformUsage, platformTotal, jobId]);
        return result < 0 ? null : TimeSpan.FromMilliseconds(Math.Max(1_000, result));
    }

    /// <summary>Gives a reservation back when the publish certainly did not happen.</summary>
    public Task ReleaseInstagramPublishAsync(string igUserId, string jobId) =>
        redis.GetDatabase().SortedSetRemoveAsync(PlatformBudgetKeys.InstagramPublishingWindow(igUserId), jobId);

    private async Task<BudgetRefusal?> RunAsync(BudgetScope[] scopes, bool dryRun)
    {
        var keys = new RedisKey[scopes.Length * 4];
        var args = new RedisValue[1 + scopes.Length * 3];
        args[0] = dryRun ? 1 : 0;
        for (var i = 0; i < scopes.Length; i++)
        {
            var s = scopes[i];
            keys[i * 4] = Key(s.Name, "pause");
            keys[i * 4 + 1] = Key(s.Name, "slow");
            keys[i * 4 + 2] = Key(s.Name, "slot");
            keys[i * 4 + 3] = PlatformBudgetKeys.Window(s.Name, s.WindowId);
            args[1 + i * 3] = s.Limit;
            args[2 + i * 3] = Math.Max(1, (long)Math.Ceiling(s.WindowLeft.TotalMilliseconds));
            args[3 + i * 3] = s.Cost;
        }
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, keys, args))!;
        var waitMs = (long)result[0];
        var who = (int)result[1];
        return waitMs > 0 ? new BudgetRefusal(TimeSpan.FromMilliseconds(waitMs), who >= 0 ? scopes[who].Name : "", (string?)result[2] ?? "") : null;
    }

    private BudgetScope Fixed(string name, CallBudget budget)
    {
        var windowMs = Math.Max(1, (long)budget.Window.TotalMilliseconds);
        var now = clock.Local.GetUtcNow().ToUnixTimeMilliseconds();
        return new BudgetScope(name, budget.Limit, (now / windowMs).ToString(System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromMilliseconds(windowMs - now % windowMs));
    }

    private BudgetScope PacificDay(string name, long limit, long cost)
    {
        var now = clock.Now(PlatformClock.YouTube);
        return new BudgetScope(name, limit, PlatformClock.PacificDay(now), PlatformClock.NextPacificMidnight(now) - now, cost);
    }

    private static RedisKey Key(string scope, string part) => PlatformBudgetKeys.Key(scope, part);
}
