using System.Diagnostics.Metrics;
using Orbyt.Core.Credentials;

namespace Orbyt.TokenRefresher;

/// <summary>
/// The metrics only scheduling passes and scheduled checks produce, on the same Meter as
/// <see cref="CredentialTelemetry"/> (<c>Orbyt.TokenRefresher</c>; the meter factory hands both the one instance).
/// </summary>
public sealed class ScheduledRefreshTelemetry : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _expiring;
    private readonly Histogram<double> _passDuration;
    private long _backlog;
    private double _lagSeconds;

    public ScheduledRefreshTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(CredentialTelemetry.Name);
        _expiring = _meter.CreateCounter<long>("orbyt.token_refresher.expiring_notified", "{connection}", "connection.expiring events recorded.");
        _passDuration = _meter.CreateHistogram<double>("orbyt.token_refresher.pass.duration", "s", "Duration of one scheduling pass (claim and refresh).");
        _meter.CreateObservableGauge("orbyt.token_refresher.due_backlog", () => Interlocked.Read(ref _backlog), "{credential}", "Credentials due now (as of the last pass).");
        _meter.CreateObservableGauge("orbyt.token_refresher.lag", () => Volatile.Read(ref _lagSeconds), "s", "now − next_check_at of the oldest due credential (as of the last pass).");
    }

    public void ExpiringNotified(int connections) => _expiring.Add(connections);

    public void PassCompleted(TimeSpan duration) => _passDuration.Record(duration.TotalSeconds);

    public void Backlog(long due, TimeSpan lag)
    {
        Interlocked.Exchange(ref _backlog, due);
        Volatile.Write(ref _lagSeconds, Math.Max(0, lag.TotalSeconds));
    }

    public void Dispose() => _meter.Dispose();
}
