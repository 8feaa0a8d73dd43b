using Orbyt.Api.Features.Jobs;
using Orbyt.Core.Credentials;
using Orbyt.Core.Jobs;
using Orbyt.Core.Webhooks;

namespace Orbyt.Api.OpenApi;

// The shapes of the webhook payloads' `data`, for the OpenAPI `webhooks` section only. The payloads themselves are
// built where the events happen (Uploader JobRunner/JobPayload, CredentialRefresher, ConnectionWriter, the test
// endpoint); the TypeScript suite checks a real delivery against these schemas.

/// <summary>A job as a webhook carries it: the fields of <c>GET /v1/jobs/{id}</c> except <c>next_attempt_at</c>, as they were when the event happened.</summary>
public sealed record WebhookJob(
    Guid Id,
    Guid PublicationId,
    Guid ConnectionId,
    string UserId,
    string Platform,
    string Status,
    string? Stage,
    JobProgress Progress,
    int Attempts,
    JobResult? Result,
    JobError? Error,
    string? TransferMethod,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt);

/// <summary><c>data</c> of <c>job.published</c> and <c>job.failed</c>.</summary>
public sealed record JobEventData(WebhookJob Job, Guid PublicationId);

/// <summary><c>data</c> of <c>publication.completed</c>: every job reached published, failed or cancelled.</summary>
public sealed record PublicationCompletedData(
    Guid PublicationId,
    string UserId,
    string? ClientReference,
    int Published,
    int Failed,
    int Cancelled,
    IReadOnlyList<WebhookJob> Jobs);

/// <summary><c>data</c> of <c>connection.connected</c>, <c>connection.reauth_required</c> and <c>connection.revoked</c>.</summary>
public sealed record ConnectionEventData(ConnectionResponse Connection);

/// <summary><c>data</c> of <c>connection.expiring</c>: publishing stops working at <c>expires_at</c> unless the user reconnects.</summary>
public sealed record ConnectionExpiringData(ConnectionResponse Connection, DateTimeOffset ExpiresAt, string Reason);

/// <summary><c>data</c> of <c>webhook.test</c>.</summary>
public sealed record WebhookTestData(Guid WebhookEndpointId, string Message);

/// <summary>One event type of the <c>webhooks</c> section: its payload's <c>data</c> type and when it is sent.</summary>
public sealed record WebhookEventDoc(string Type, Type Data, string Summary, string Description);

public static class WebhookEventDocs
{
    public static readonly WebhookEventDoc[] All =
    [
        new(WebhookEventTypes.JobPublished, typeof(JobEventData), "A job is live on the platform",
            "One publication target was published; `data.job.result` has the platform's post id and permalink."),
        new(WebhookEventTypes.JobFailed, typeof(JobEventData), "A job failed for good",
            "Retries are exhausted or the error is not retryable; `data.job.error.code` is from the error catalog, with `retryable` and `reauth_required`."),
        new(WebhookEventTypes.PublicationCompleted, typeof(PublicationCompletedData), "Every job of a publication is done",
            "Sent once every job reached published, failed or cancelled, with the counts and every job."),
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
