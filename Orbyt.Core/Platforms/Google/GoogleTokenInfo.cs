namespace Orbyt.Core.Platforms.Google;

/// <summary>What tokeninfo says of a live access token: its scopes, when it expires, the client it was issued to and the account.</summary>
public sealed record GoogleTokenInfo(IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, string? Audience, string? Subject);
