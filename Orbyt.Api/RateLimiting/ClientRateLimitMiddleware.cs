using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Orbyt.Api.Caching;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using StackExchange.Redis;

namespace Orbyt.Api.RateLimiting;

/// <summary>
/// Per-API-client request limits shared by every API replica (Redis fixed window of one minute). Every
/// authenticated answer carries <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c>
/// (seconds); over the budget the answer is 429 <c>rate_limited</c> with <c>Retry-After</c>. If Redis is down the
/// request goes through: the limit protects the service, it must not take it down.
/// </summary>
public sealed partial class ClientRateLimitMiddleware(RequestDelegate next, IOptions<ApiRateLimitOptions> options, IMemoryCache cache, ILogger<ClientRateLimitMiddleware> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    /// <summary>A client's limit is read once per minute; concurrent misses share the read.</summary>
    private readonly SharedReads<Guid, int> _limits = new();

    public async Task InvokeAsync(HttpContext http, RedisWindowLimiter limiter, OrbytDbContext db)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            await next(http);
            return;
        }
        var clientId = http.User.ClientId();
        var cacheKey = $"ratelimit:{clientId}";
        if (!cache.TryGetValue(cacheKey, out int limit))
        {
            limit = await _limits.ReadAsync(clientId, async () =>
            {
                var read = await db.ApiClients.Where(c => c.Id == clientId).Select(c => c.RequestsPerMinute).SingleOrDefaultAsync() ?? options.Value.RequestsPerMinute;
                cache.Set(cacheKey, read, TimeSpan.FromMinutes(1));
                return read;
            }, http.RequestAborted);
        }

        RateLimitDecision decision;
        try
        {
            decision = await limiter.HitAsync($"api:{clientId}", limit, Window);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogLimiterUnavailable(logger, ex.GetType().Name);
            await next(http);
            return;
        }

        var reset = Math.Max(1, (int)Math.Ceiling(decision.ResetAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = reset;
        if (!decision.Allowed)
        {
            http.Response.Headers.RetryAfter = reset;
            await ProblemResults.WriteAsync(http, ErrorCatalog.RateLimited, $"This API client may make {decision.Limit} requests per minute; retry in {reset} s.");
            return;
        }
        await next(http);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API rate limiter is unavailable ({ErrorType}); requests pass unlimited.")]
    private static partial void LogLimiterUnavailable(ILogger logger, string errorType);
}
