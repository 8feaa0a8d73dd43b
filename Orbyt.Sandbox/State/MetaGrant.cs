namespace Orbyt.Sandbox.State;

/// <summary>A user's authorisation of the Meta app: what they granted, until they remove it.</summary>
public sealed class MetaGrant
{
    public required string UserId { get; init; }
    public required string AppId { get; init; }
    public HashSet<string> Scopes { get; set; } = [];

    /// <summary>
    /// Permissions the person unticked when they were asked: <c>/me/permissions</c> says <c>declined</c>, and the dialog
    /// asks for them again only with <c>auth_type=rerequest</c> (reference §1.1).
    /// </summary>
    public HashSet<string> Declined { get; set; } = [];
    public bool Revoked { get; set; }
    public DateTimeOffset DataAccessExpiresAt { get; set; }
}
