using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbyt.Core.Hosting;

/// <summary>
/// Worker main loops beat here on every iteration; the health check reports a loop unhealthy when it has not beaten
/// within its allowed interval (stuck or crashed), so the AppHost and orchestrators see a dead worker.
/// </summary>
public sealed class LoopHeartbeat(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset LastBeat, TimeSpan MaxSilence)> _loops = new();

    public void Register(string loop, TimeSpan maxSilence) => _loops[loop] = (DateTimeOffset.MinValue, maxSilence);

    public void Beat(string loop, TimeSpan maxSilence) => _loops[loop] = (time.GetUtcNow(), maxSilence);

    public IReadOnlyDictionary<string, (DateTimeOffset LastBeat, TimeSpan MaxSilence)> Snapshot() => _loops;

    public HealthCheckResult Check()
    {
        if (_loops.IsEmpty)
            return HealthCheckResult.Unhealthy("No worker loop has started yet.");
        var now = time.GetUtcNow();
        var stale = _loops.Where(l => now - l.Value.LastBeat > l.Value.MaxSilence).Select(l => l.Key).ToArray();
        var data = _loops.ToDictionary(l => l.Key, l => (object)(l.Value.LastBeat == DateTimeOffset.MinValue ? "never" : l.Value.LastBeat.ToString("O")));
        return stale.Length == 0
            ? HealthCheckResult.Healthy("All worker loops are alive.", data)
            : HealthCheckResult.Unhealthy($"Worker loops not alive: {string.Join(", ", stale)}.", data: data);
    }
}
