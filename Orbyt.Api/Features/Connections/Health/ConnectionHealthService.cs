using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Api.RateLimiting;
using Orbyt.Core.Data;
using StackExchange.Redis;

namespace Orbyt.Api.Features.Connections.Health;

/// <summary>
/// The health of a connection as the API answers it: from the cache when a check finished less than
/// <see cref="ConnectionHealthOptions.CacheTtl"/> ago, otherwise a live check (<see cref="ConnectionHealthCheck"/>) —
/// at most one per connection per <see cref="ConnectionHealthOptions.MinLiveInterval"/> (a slot in Redis, which also
/// makes concurrent requests on any replica share one check) and at most
/// <see cref="ConnectionHealthOptions.LiveChecksPerMinute"/> per API client. A connection that is not active needs no
/// platform call and is answered from the database. If Redis is unreachable, checks run live and uncached: the limits
/// protect the platforms, they must not take health down (as the API's own request limiter).
/// </summary>
public sealed partial class ConnectionHealthService(
    ConnectionHealthCheck check,
    IConnectionMultiplexer redis,
    RedisWindowLimiter limiter,
    IOptions<ConnectionHealthOptions> options,
    ILogger<ConnectionHealthService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ConnectionHealthOptions Options => options.Value;

    public static RedisKey CacheKey(Guid connectionId) => $"orbyt:health:{connectionId}";
    public static RedisKey SlotKey(Guid connectionId) => $"orbyt:health:{connectionId}:slot";
    public static RedisKey ChannelKey(Guid connectionId) => $"orbyt:health:{connectionId}:channel";

    /// <summary>The connection's health, or a refusal saying when to ask again.</summary>
    public async Task<HealthOutcome> GetAsync(Guid clientId, Connection connection, bool refresh, CancellationToken ct)
    {
        if (connection.Status != ConnectionStatuses.Active || connection.Credential is null)
            return new HealthOutcome.Answer(await check.WithoutLiveCheckAsync(connection, ct));

        var db = redis.GetDatabase();
        try
        {
            if (!refresh && await db.StringGetAsync(CacheKey(connection.Id)) is { HasValue: true } cached
                && JsonSerializer.Deserialize<ConnectionHealthResponse>(cached.ToString(), Json) is { } hit)
                return new HealthOutcome.Answer(hit with { Cached = true });
            if (!await db.StringSetAsync(SlotKey(connection.Id), "1", Options.MinLiveInterval, When.NotExists))
            {
                var left = await db.KeyTimeToLiveAsync(SlotKey(connection.Id)) ?? TimeSpan.FromSeconds(1);
                return new HealthOutcome.Refused(left, $"This connection was checked live less than {Options.MinLiveInterval.TotalSeconds:0} s ago; ask again in {Seconds(left)} s (without refresh=true the cached answer is served).");
            }
            var budget = await limiter.HitAsync($"health:{clientId}", Options.LiveChecksPerMinute, TimeSpan.FromMinutes(1));
            if (!budget.Allowed)
            {
                await db.KeyDeleteAsync(SlotKey(connection.Id));
                return new HealthOutcome.Refused(budget.ResetAfter, $"This API client may run {budget.Limit} live health checks per minute; ask again in {Seconds(budget.ResetAfter)} s.");
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, ex.GetType().Name);
            return new HealthOutcome.Answer(await check.LiveAsync(connection, ct));
        }

        var answer = await check.LiveAsync(connection, ct);
        // An unfinished check is not cached: the next request (after the slot) asks again.
        if (answer.CheckError is null && answer.Status == ConnectionStatuses.Active)
        {
            try
            {
                await db.StringSetAsync(CacheKey(connection.Id), JsonSerializer.Serialize(answer, Json), Options.CacheTtl);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, ex.GetType().Name);
            }
        }
        return new HealthOutcome.Answer(answer);
    }

    public static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({ErrorType}); connection health runs live, uncached and unlimited.")]
    private static partial void LogRedisUnavailable(ILogger logger, string errorType);
}

/// <summary>What <see cref="ConnectionHealthService.GetAsync"/> gives: the health, or a refusal by the health rate limit.</summary>
public abstract record HealthOutcome
{
    public sealed record Answer(ConnectionHealthResponse Health) : HealthOutcome;

    public sealed record Refused(TimeSpan RetryAfter, string Detail) : HealthOutcome;
}
