using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orbyt.Core.Hosting;

/// <summary>
/// Worker main loops beat here on every iteration; the health check reports a loop unhealthy when it has not beaten
/// within its allowed interval (stuck or crashed), so the AppHost and orchestrators see a dead worker.
/// </summary>
public sealed class LoopHeartbeat(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset LastBeat, TimeSpan MaxSilence, bool Beaten)> _loops = new();

    /// <summary>
    /// Starts watching a loop. Its allowed silence counts from here: a loop warming up (building its model, opening
    /// its first connections) is healthy, not failing; one that has not beaten within maxSilence of starting is stuck.
    /// </summary>
    public void Register(string loop, TimeSpan maxSilence) => _loops[loop] = (time.GetUtcNow(), maxSilence, Beaten: false);

    public void Beat(string loop, TimeSpan maxSilence) => _loops[loop] = (time.GetUtcNow(), maxSilence, Beaten: true);

    public IReadOnlyDictionary<string, (DateTimeOffset LastBeat, TimeSpan MaxSilence, bool Beaten)> Snapshot() => _loops;

    public HealthCheckResult Check()
    {
        if (_loops.IsEmpty)
            return HealthCheckResult.Unhealthy("No worker loop has started yet.");
        var now = time.GetUtcNow();
        var stale = _loops.Where(l => now - l.Value.LastBeat > l.Value.MaxSilence).Select(l => l.Key).ToArray();
        var data = _loops.ToDictionary(l => l.Key, l => (object)(l.Value.Beaten ? l.Value.LastBeat.ToString("O") : "starting since " + l.Value.LastBeat.ToString("O")));
        return stale.Length == 0
            ? HealthCheckResult.Healthy("All worker loops are alive.", data)
            : HealthCheckResult.Unhealthy($"Worker loops not alive: {string.Join(", ", stale)}.", data: data);
    }
}
