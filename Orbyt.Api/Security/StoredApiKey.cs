namespace Orbyt.Api.Security;

/// <summary>What authentication needs of a stored key: never the secret, only its hash.</summary>
public sealed record StoredApiKey(Guid Id, Guid ClientId, byte[] SecretHash, DateTimeOffset? RevokedAt, bool IsAdmin);
