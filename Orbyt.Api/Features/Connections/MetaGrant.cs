namespace Orbyt.Api.Features.Connections;

public sealed record MetaGrant(string MetaUserId, string UserToken, DateTimeOffset? ExpiresAt, DateTimeOffset? DataAccessExpiresAt, IReadOnlyList<string> Scopes);
