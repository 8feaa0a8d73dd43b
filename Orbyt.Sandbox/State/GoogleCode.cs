namespace Orbyt.Sandbox.State;

public sealed class GoogleCode
{
    public required string Value { get; init; }
    public required string Sub { get; init; }
    public required string RedirectUri { get; init; }
    public required IReadOnlyCollection<string> Scopes { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required bool IssueRefreshToken { get; init; }
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }
    public bool Used { get; set; }
}
