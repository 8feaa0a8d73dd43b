using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.TokenRefresher.Checks;

/// <summary>
/// <c>connection.expiring</c> ahead of a grant's lapse, once per window (<see cref="Credential.ExpiringNotifiedAt"/> is
/// cleared when the lapse moves out of the window again): for Meta user tokens (<see cref="MetaCredentialCheck"/>) and
/// Instagram Login tokens (<see cref="InstagramCredentialCheck"/>) alike.
/// </summary>
public sealed partial class ExpiringNotifier(
    OrbytDbContext db,
    CredentialRefresher refresher,
    IOptions<TokenRefreshOptions> options,
    ScheduledRefreshTelemetry telemetry,
    ILogger<ExpiringNotifier> logger)
{
    /// <summary>Records the event for every active connection of the locked credential's grant when <paramref name="lapse"/> is within the notice; the caller saves.</summary>
    public async Task NotifyAsync(Credential credential, DateTimeOffset? lapse, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (lapse is not { } at) return;
        if (at - now > options.Value.ExpiringNotice)
        {
            credential.ExpiringNotifiedAt = null;
            return;
        }
        if (credential.ExpiringNotifiedAt is not null) return;

        credential.ExpiringNotifiedAt = now;
        var (connections, credentials) = await refresher.GrantConnectionsAsync(credential, ct);
        foreach (var connection in connections.Where(c => c.Status == ConnectionStatuses.Active))
        {
            var own = credentials.GetValueOrDefault(connection.CredentialId!.Value);
            WebhookOutbox.Add(db, connection.ClientId, WebhookEventTypes.ConnectionExpiring,
                new ConnectionExpiringData(ConnectionResponse.From(connection, own), at, reason), now);
        }
        telemetry.ExpiringNotified(connections.Count);
        LogExpiring(logger, credential.Id, connections.Count, reason, at);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId} lapses at {Lapse:O} ({Reason}); connection.expiring recorded for {Connections} connections.")]
    private static partial void LogExpiring(ILogger logger, Guid credentialId, int connections, string reason, DateTimeOffset lapse);
}
