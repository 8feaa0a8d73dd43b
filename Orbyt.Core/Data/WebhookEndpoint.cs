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
