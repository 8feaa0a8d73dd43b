using Orbyt.Core.Webhooks;

namespace Orbyt.Api.Features.Webhooks;

internal static class WebhookRules
{
    public const string EventsMessage = "Each event must be one of: job.published, job.failed, publication.completed, connection.connected, connection.reauth_required, connection.expiring, connection.revoked.";

    /// <summary>Types an endpoint can subscribe to (webhook.test always reaches the endpoint it was sent to).</summary>
    public static readonly HashSet<string> SubscribableEvents = WebhookEventTypes.All.Where(t => t != WebhookEventTypes.WebhookTest).ToHashSet(StringComparer.Ordinal);
}
