using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Webhooks;

/// <summary>One delivery of one event to one endpoint; <c>id</c> is the <c>webhook-id</c> header of every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid EventId,
    string Type,
    string Status,
    int Attempts,
    int? LastResponseCode,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d, string type) =>
        new(d.Id, d.EventId, type, d.Status, d.Attempts, d.LastResponseCode, d.LastError, d.NextAttemptAt, d.CreatedAt, d.CompletedAt);
}
