namespace Orbyt.Sandbox.State;

/// <summary>A user's authorisation of the Meta app: what they granted, until they remove it.</summary>
public sealed class MetaGrant
{
    public required string UserId { get; init; }
    public required string AppId { get; init; }
    public HashSet<string> Scopes { get; set; } = [];
    public bool Revoked { get; set; }
    public DateTimeOffset DataAccessExpiresAt { get; set; }
}
