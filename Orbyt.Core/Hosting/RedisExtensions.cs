using Microsoft.Extensions.Hosting;

namespace Orbyt.Core.Hosting;

/// <summary>The Redis client every process uses: the API (rate limits, the job stream) and the workers.</summary>
public static class RedisExtensions
{
    public const string RedisResourceName = "redis";

    /// <summary>
    /// The Redis client. Its I/O completes on the .NET thread pool rather than StackExchange.Redis' own dedicated
    /// pool: otherwise every awaited Redis call moves the rest of the request (EF, Npgsql) onto those threads, and
    /// the handoffs between the two pools cost more CPU than the requests themselves on a small machine
    /// (docs/benchmarks.md, pipeline).
    /// </summary>
    public static IHostApplicationBuilder AddOrbytRedis(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(RedisResourceName, configureOptions: options => options.SocketManager = StackExchange.Redis.SocketManager.ThreadPool);
        return builder;
    }
}
