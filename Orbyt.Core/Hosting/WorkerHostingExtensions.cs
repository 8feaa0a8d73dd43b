using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orbyt.Core.Data;

namespace Orbyt.Core.Hosting;

public static class WorkerHostingExtensions
{
    /// <summary>What every worker shares: Postgres, Redis, the loop heartbeat and its health check.</summary>
    public static IHostApplicationBuilder AddOrbytWorkerCore(this IHostApplicationBuilder builder)
    {
        builder.AddOrbytDatabase();
        builder.AddOrbytRedis();
        // Before every loop and before Kestrel: the first /health probe finds a warm DbContext.
        builder.Services.AddHostedService<DatabaseWarmup>();
        builder.Services.AddSingleton<LoopHeartbeat>();
        builder.Services.AddHealthChecks().AddCheck<LoopHeartbeatHealthCheck>("worker_loops", tags: ["live"]);
        return builder;
    }
}
