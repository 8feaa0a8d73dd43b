using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orbyt.Core.Data;

namespace Orbyt.Core.Hosting;

public static class WorkerHostingExtensions
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

    /// <summary>What every worker shares: Postgres, Redis, the loop heartbeat and its health check.</summary>
    public static IHostApplicationBuilder AddOrbytWorkerCore(this IHostApplicationBuilder builder)
    {
        builder.AddOrbytDatabase();
        builder.AddOrbytRedis();
        builder.Services.AddSingleton<LoopHeartbeat>();
        builder.Services.AddHealthChecks().AddCheck<LoopHeartbeatHealthCheck>("worker_loops", tags: ["live"]);
        return builder;
    }
}
