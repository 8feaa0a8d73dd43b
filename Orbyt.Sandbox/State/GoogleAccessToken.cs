namespace Orbyt.Sandbox.State;

public sealed class GoogleAccessToken
{
    public required string Value { get; init; }
    public required string GrantId { get; init; }
    public required string Sub { get; init; }
    public required IReadOnlyCollection<string> Scopes { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public bool Revoked { get; set; }
}
