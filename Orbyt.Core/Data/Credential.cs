namespace Orbyt.Core.Data;

/// <summary>
/// Tokens of one grant. The token columns hold ciphertext produced by the token vault, never plaintext.
/// Scheduling columns let the refresher claim due rows with an index range scan, not a table scan.
/// </summary>
public sealed class Credential
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Kind { get; set; }
    /// <summary>Platform identity the grant belongs to (Meta app-scoped user id, Google subject or channel id).</summary>
    public required string Subject { get; set; }
    /// <summary>For Page tokens: the user credential they were derived from.</summary>
    public Guid? ParentCredentialId { get; set; }
    public required byte[] AccessTokenCiphertext { get; set; }
    public byte[]? RefreshTokenCiphertext { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    /// <summary>Meta's data_access_expires_at; Google's refresh_token_expires_in when given.</summary>
    public DateTimeOffset? GrantExpiresAt { get; set; }
    public List<string> Scopes { get; set; } = [];
    public DateTimeOffset? LastRefreshedAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    /// <summary>When the refresher should next look at this credential.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }
    /// <summary>Lease held by a refresher replica or an on-demand refresh.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public string? LastError { get; set; }
    /// <summary>Set when the grant is dead: refreshes stop until the user reconnects.</summary>
    public DateTimeOffset? InvalidatedAt { get; set; }
    public DateTimeOffset? ExpiringNotifiedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
