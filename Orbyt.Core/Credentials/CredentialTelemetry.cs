using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orbyt.Core.Credentials;

/// <summary>
/// Traces and metrics of credential refreshes, emitted by the Uploader's on-demand refresh and by the token refresher's
/// scheduled checks alike. The ActivitySource, Meter and metric names keep the refresher's name
/// (<c>Orbyt.TokenRefresher</c>, <c>orbyt.token_refresher.*</c>): dashboards and the service defaults subscribe by it.
/// Tags carry kinds, classes and reasons, never a token or an account name.
/// </summary>
public sealed class CredentialTelemetry : IDisposable
{
    public const string Name = "Orbyt.TokenRefresher";
    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _refreshed;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _escalated;
    private readonly Counter<long> _reauth;

    public CredentialTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _refreshed = _meter.CreateCounter<long>("orbyt.token_refresher.refreshed", "{credential}", "Credentials refreshed or checked successfully (tag outcome: refreshed, reexchanged, checked, skipped).");
        _failed = _meter.CreateCounter<long>("orbyt.token_refresher.failed", "{credential}", "Refreshes or checks that failed, by class (transient, definitive, unknown) and reason.");
        _escalated = _meter.CreateCounter<long>("orbyt.token_refresher.escalated", "{credential}", "Failures of credentials that have been failing transiently for longer than EscalateAfterHours.");
        _reauth = _meter.CreateCounter<long>("orbyt.token_refresher.reauth_required", "{connection}", "Connections marked reauth_required.");
    }

    public void Refreshed(string kind, string outcome) => _refreshed.Add(1, new("kind", kind), new("outcome", outcome));

    public void Failed(string kind, RefreshFailure failure) =>
        _failed.Add(1, new("kind", kind), new("class", failure.Class.ToString().ToLowerInvariant()), new("reason", failure.Reason));

    public void Escalated(string kind, string reason) => _escalated.Add(1, new("kind", kind), new("reason", reason));

    public void ReauthRequired(int connections, string reason) => _reauth.Add(connections, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
