using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orbyt.Core.Credentials;

/// <summary>
/// The refresher's traces and metrics (ActivitySource and Meter "Orbyt.TokenRefresher"). Tags carry kinds, classes and
/// reasons, never a token or an account name.
/// </summary>
public sealed class TokenRefresherTelemetry : IDisposable
{
    public const string Name = "Orbyt.TokenRefresher";
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _refreshed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _escalated;
    private readonly Counter<long> _reauth;
    private readonly Counter<long> _expiring;
    private readonly Histogram<double> _passDuration;
    private long _backlog;
    private double _lagSeconds;

    public TokenRefresherTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _refreshed = _meter.CreateCounter<long>("orbyt.token_refresher.refreshed", "{credential}", "Credentials refreshed or checked successfully (tag outcome: refreshed, reexchanged, checked, skipped).");
        _failed = _meter.CreateCounter<long>("orbyt.token_refresher.failed", "{credential}", "Refreshes or checks that failed, by class (transient, definitive, unknown) and reason.");
        _escalated = _meter.CreateCounter<long>("orbyt.token_refresher.escalated", "{credential}", "Failures of credentials that have been failing transiently for longer than EscalateAfterHours.");
        _reauth = _meter.CreateCounter<long>("orbyt.token_refresher.reauth_required", "{connection}", "Connections marked reauth_required.");
        _expiring = _meter.CreateCounter<long>("orbyt.token_refresher.expiring_notified", "{connection}", "connection.expiring events recorded.");
        _passDuration = _meter.CreateHistogram<double>("orbyt.token_refresher.pass.duration", "s", "Duration of one scheduling pass (claim and refresh).");
        _meter.CreateObservableGauge("orbyt.token_refresher.due_backlog", () => Interlocked.Read(ref _backlog), "{credential}", "Credentials due now (as of the last pass).");
        _meter.CreateObservableGauge("orbyt.token_refresher.lag", () => Volatile.Read(ref _lagSeconds), "s", "now − next_check_at of the oldest due credential (as of the last pass).");
    }

    public void Refreshed(string kind, string outcome) => _refreshed.Add(1, new("kind", kind), new("outcome", outcome));

    public void Failed(string kind, RefreshFailure failure) =>
        _failed.Add(1, new("kind", kind), new("class", failure.Class.ToString().ToLowerInvariant()), new("reason", failure.Reason));

    public void Escalated(string kind, string reason) => _escalated.Add(1, new("kind", kind), new("reason", reason));

    public void ReauthRequired(int connections, string reason) => _reauth.Add(connections, new KeyValuePair<string, object?>("reason", reason));

    public void ExpiringNotified(int connections) => _expiring.Add(connections);

    public void PassCompleted(TimeSpan duration) => _passDuration.Record(duration.TotalSeconds);

    public void Backlog(long due, TimeSpan lag)
    {
        Interlocked.Exchange(ref _backlog, due);
        Volatile.Write(ref _lagSeconds, Math.Max(0, lag.TotalSeconds));
    }

    public void Dispose() => _meter.Dispose();
}
