using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;

namespace Orbyt.Core.Webhooks;

/// <summary>Endpoint state changes shared by the API (PATCH) and the dispatcher (410, failing for days).</summary>
public static class WebhookEndpointState
{
    /// <summary>
    /// Disables an endpoint and fails its pending deliveries: they would only fail at their next attempt, and the
    /// delivery log should say so now. They can be sent again with the resend action after re-enabling.
    /// </summary>
    public static async Task DisableAsync(OrbytDbContext db, Guid endpointId, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var disabled = await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.Enabled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Enabled, false)
                .SetProperty(e => e.DisabledReason, reason)
                .SetProperty(e => e.UpdatedAt, now), ct);
        if (disabled == 0)
            return;
        await FailPendingDeliveriesAsync(db, endpointId, $"endpoint disabled ({reason})", now, ct);
    }

    public static Task<int> FailPendingDeliveriesAsync(OrbytDbContext db, Guid endpointId, string error, DateTimeOffset now, CancellationToken ct) =>
        db.WebhookDeliveries.Where(d => d.EndpointId == endpointId && d.Status == DeliveryStatuses.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatuses.Failed)
                .SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LastError, error), ct);
}
