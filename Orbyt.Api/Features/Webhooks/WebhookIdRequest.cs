namespace Orbyt.Api.Features.Webhooks;

public sealed class WebhookIdRequest
{
    public Guid Id { get; set; }
}
