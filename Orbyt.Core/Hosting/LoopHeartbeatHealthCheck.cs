using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbyt.Core.Hosting;

/// <summary>The <c>worker_loops</c> liveness check: unhealthy while any worker loop is silent for longer than it may be.</summary>
public sealed class LoopHeartbeatHealthCheck(LoopHeartbeat heartbeat) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(heartbeat.Check());
}
