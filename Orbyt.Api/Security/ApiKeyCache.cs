using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Orbyt.Api.Caching;
using Orbyt.Core.Data;
using StackExchange.Redis;

namespace Orbyt.Api.Security;

/// <summary>
/// Keeps the key rows that authentication reads for a few seconds, so a request does not pay a database round
/// trip before its own work (docs/benchmarks.md, pipeline). The presented secret is still checked against the
/// stored hash on every request. Revoking a key removes it here and tells every other replica over Redis
/// (<see cref="Channel"/>), so revocation stays immediate; unknown key ids are never cached.
/// </summary>
public sealed partial class ApiKeyCache(
    IMemoryCache cache,
    IConnectionMultiplexer redis,
    IOptions<ApiKeyCacheOptions> options,
    ILogger<ApiKeyCache> logger) : IHostedService
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("orbyt:api-keys:revoked");

    private readonly SharedReads<string, StoredApiKey?> _reads = new();

    /// <summary>The key's row, from the cache or the database (concurrent misses share one read: <see cref="SharedReads{TKey,TValue}"/>).</summary>
    public async Task<StoredApiKey?> GetAsync(OrbytDbContext db, string keyId, CancellationToken ct)
    {
        var cacheKey = CacheKey(keyId);
        if (cache.TryGetValue(cacheKey, out StoredApiKey? stored)) return stored;
        return await _reads.ReadAsync(keyId, async () =>
        {
            var row = await db.ApiKeys.AsNoTracking()
                .Where(k => k.KeyId == keyId)
                .Select(k => new StoredApiKey(k.Id, k.ClientId, k.SecretHash, k.RevokedAt, k.Client!.IsAdmin))
                .SingleOrDefaultAsync(CancellationToken.None);
            if (row is not null && options.Value.CacheFor > TimeSpan.Zero)
                cache.Set(cacheKey, row, options.Value.CacheFor);
            return row;
        }, ct);
    }

    /// <summary>Forgets a key here and on every other replica; called after its revocation is committed.</summary>
    public async Task InvalidateAsync(string keyId)
    {
        cache.Remove(CacheKey(keyId));
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, keyId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogBroadcastFailed(logger, ex.GetType().Name, options.Value.CacheFor.TotalSeconds);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, keyId) => cache.Remove(CacheKey(keyId.ToString())));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is down at start: cached keys then expire on their own after CacheFor.
            LogBroadcastFailed(logger, ex.GetType().Name, options.Value.CacheFor.TotalSeconds);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string CacheKey(string keyId) => "api-key:" + keyId;

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key revocations cannot be broadcast over Redis ({ErrorType}); other replicas notice within {Seconds} s.")]
    private static partial void LogBroadcastFailed(ILogger logger, string errorType, double seconds);
}
