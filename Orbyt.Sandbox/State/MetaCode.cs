namespace Orbyt.Sandbox.State;

public sealed class MetaCode
{
    public required string Value { get; init; }
    public required string UserId { get; init; }
    public required string RedirectUri { get; init; }
    public required IReadOnlyCollection<string> Scopes { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public bool Used { get; set; }
}
