namespace Orbyt.Sandbox.State;

/// <summary>One consent of a Google account to the client; a refresh token belongs to exactly one grant.</summary>
public sealed class GoogleGrant
{
    public required string Id { get; init; }
    public required string Sub { get; init; }
    public HashSet<string> Scopes { get; set; } = [];
    public string? RefreshToken { get; set; }
    public bool Revoked { get; set; }
    public bool RefreshTokenExpired { get; set; }
}
