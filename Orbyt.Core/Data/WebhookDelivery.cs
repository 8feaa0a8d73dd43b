namespace Orbyt.Core.Data;

/// <summary>Delivery of one event to one target; <c>Id</c> is the stable webhook-id across retries.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public WebhookEvent? Event { get; set; }
    public Guid ClientId { get; set; }
    public Guid? EndpointId { get; set; }
    public required string TargetUrl { get; set; }
    public string Status { get; set; } = DeliveryStatuses.Pending;
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public int? LastResponseCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public uint Version { get; set; }
}
