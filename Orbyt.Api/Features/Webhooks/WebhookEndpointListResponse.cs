namespace Orbyt.Api.Features.Webhooks;

public sealed record WebhookEndpointListResponse(IReadOnlyList<WebhookEndpointResponse> Data);
