namespace Orbyt.Api.Features.Connections;

public sealed record GoogleGrant(string Subject, string AccessToken, string? RefreshToken, DateTimeOffset AccessTokenExpiresAt, DateTimeOffset? RefreshTokenExpiresAt, IReadOnlyList<string> Scopes);
