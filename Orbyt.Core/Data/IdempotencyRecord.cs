namespace Orbyt.Core.Data;

/// <summary>Stripe-style idempotency record: the first response for (client, key) replayed for the same request.</summary>
public sealed class IdempotencyRecord
{
    public Guid ClientId { get; set; }
    public required string Key { get; set; }
    public required string Endpoint { get; set; }
    /// <summary>SHA-256 of the canonical request body; a different body with the same key is rejected.</summary>
    public required byte[] RequestHash { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseBody { get; set; }
    /// <summary>Set while the first request is in flight; a concurrent duplicate sees it and is told to retry.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
