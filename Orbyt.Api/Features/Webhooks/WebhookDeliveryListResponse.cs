namespace Orbyt.Api.Features.Webhooks;

public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Data, bool HasMore, Guid? NextBefore);
