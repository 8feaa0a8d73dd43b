using System.Text.Json;

namespace Orbyt.Core.Data;

/// <summary>A receiver of an API client's webhook events.</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }
    /// <summary>Event types delivered; empty = all.</summary>
    public List<string> Events { get; set; } = [];
    public required byte[] SecretCiphertext { get; set; }
    /// <summary>The secret before the last rotation, which keeps signing until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public byte[]? PreviousSecretCiphertext { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An event, written in the same transaction as the state change that caused it (transactional outbox).</summary>
public sealed class WebhookEvent
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string Type { get; set; }
    public required JsonDocument Payload { get; set; }
    /// <summary>Per-publication callback target, when the event belongs to a publication with a callback_url.</summary>
    public string? CallbackUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Set once deliveries have been fanned out for this event.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }
}

public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

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
