namespace Orbyt.Core.Webhooks;

/// <summary>Every event type a webhook can carry. Names are part of the contract.</summary>
public static class WebhookEventTypes
{
    public const string JobPublished = "job.published";
    public const string JobFailed = "job.failed";
    public const string PublicationCompleted = "publication.completed";
    public const string ConnectionConnected = "connection.connected";
    public const string ConnectionReauthRequired = "connection.reauth_required";
    public const string ConnectionExpiring = "connection.expiring";
    public const string ConnectionRevoked = "connection.revoked";
    /// <summary>Sent only by <c>POST /v1/webhooks/{id}/test</c>.</summary>
    public const string WebhookTest = "webhook.test";

    public static readonly string[] All =
    [
        JobPublished, JobFailed, PublicationCompleted,
        ConnectionConnected, ConnectionReauthRequired, ConnectionExpiring, ConnectionRevoked, WebhookTest,
    ];
}
