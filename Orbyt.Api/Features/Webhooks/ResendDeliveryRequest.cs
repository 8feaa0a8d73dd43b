using FastEndpoints;

namespace Orbyt.Api.Features.Webhooks;

public sealed class ResendDeliveryRequest
{
    public Guid Id { get; set; }
    [BindFrom("delivery_id")]
    public Guid DeliveryId { get; set; }
}
