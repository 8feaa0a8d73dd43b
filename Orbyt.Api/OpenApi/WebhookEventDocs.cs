using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Api.OpenApi;

// The OpenAPI `webhooks` section is generated from the same records the producers put into the outbox
// (Orbyt.Core/Webhooks/Events); this table only adds each event's summary and description.

/// <summary>Every webhook event type with its <c>data</c> record, in the order the document lists them.</summary>
public static class WebhookEventDocs
{
    public static readonly WebhookEventDoc[] All =
    [
        new(WebhookEventTypes.JobPublished, typeof(JobEventData), "A job is live on the platform",
            "One publication target was published; `data.job.result` has the platform's post id and permalink, and what the platform applied where it differs from what was asked (`privacy_status`, `warnings`). Deliveries are not ordered: of two states of one job, the one with the higher `job.sequence` is the newer (docs/webhooks.md, Ordering)."),
        new(WebhookEventTypes.JobFailed, typeof(JobEventData), "A job failed for good",
            "Retries are exhausted or the error is not retryable; `data.job.error.code` is from the error catalog, with `retryable` and `reauth_required`. Deliveries are not ordered: of two states of one job, the one with the higher `job.sequence` is the newer (docs/webhooks.md, Ordering)."),
        new(WebhookEventTypes.PublicationCompleted, typeof(PublicationCompletedData), "Every job of a publication is done",
            "Sent once every job reached published, failed or cancelled, with the counts and every job. Deliveries are not ordered: of two states of one job, the one with the higher `sequence` is the newer (docs/webhooks.md, Ordering)."),
        new(WebhookEventTypes.ConnectionConnected, typeof(ConnectionEventData), "An account was connected",
            "An account was connected or reconnected through OAuth (`status: active`)."),
        new(WebhookEventTypes.ConnectionReauthRequired, typeof(ConnectionEventData), "The user must reconnect an account",
            "The stored grant stopped working (revoked, expired, password changed); `reauth_reason` says why. Queued jobs of the connection fail with `reauth_required`."),
        new(WebhookEventTypes.ConnectionExpiring, typeof(ConnectionExpiringData), "A grant lapses soon",
            "The grant cannot be refreshed automatically and stops working at `expires_at` (Meta's data-access window): send the user through authorize before then."),
        new(WebhookEventTypes.ConnectionRevoked, typeof(ConnectionEventData), "A connection was revoked",
            "The connection was deleted (`DELETE /v1/connections/{id}`) or revoked at the platform (`status: revoked`)."),
        new(WebhookEventTypes.WebhookTest, typeof(WebhookTestData), "A test event",
            "Sent only by `POST /v1/webhooks/{id}/test`."),
    ];
}
