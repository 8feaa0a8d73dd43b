namespace Orbyt.Core.Credentials;

/// <summary>A token that works now for one connection. Never log it, never put it in a span.</summary>
public sealed record UsableToken(Guid ConnectionId, Guid CredentialId, string Kind, string AccessToken, DateTimeOffset? ExpiresAt)
{
    public override string ToString() => $"UsableToken({ConnectionId}, {Kind}, expires {ExpiresAt:O})";
}
