using StackExchange.Redis;

namespace Orbyt.Api.RateLimiting;

/// <summary>
/// A fixed-window counter in Redis, shared by every replica: one atomic script increments the window's counter,
/// sets its expiry on first use, and says whether the budget still holds.
/// </summary>
public sealed class RedisWindowLimiter(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly LuaScript Count = LuaScript.Prepare("""
        local current = redis.call('INCR', @key)
        if current == 1 then redis.call('PEXPIRE', @key, @windowMs) end
        return { current, redis.call('PTTL', @key) }
        """);

    public async Task<RateLimitDecision> HitAsync(string scope, long limit, TimeSpan window)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)window.TotalMilliseconds;
        var key = $"orbyt:ratelimit:{scope}:{now / windowMs}";
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Count, new { key = (RedisKey)key, windowMs }))!;
        var count = (long)result[0];
        var ttl = Math.Max(0, (long)result[1]);
        return new RateLimitDecision(count <= limit, limit, Math.Max(0, limit - count), TimeSpan.FromMilliseconds(ttl));
    }
}
