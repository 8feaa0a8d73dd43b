namespace Orbyt.Api.Features.Webhooks;

public sealed record WebhookTestResponse(Guid DeliveryId, Guid EventId);
