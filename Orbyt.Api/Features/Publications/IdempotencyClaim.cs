namespace Orbyt.Api.Features.Publications;

/// <summary>The Idempotency-Key part of a write: the key, and the request it was first used with.</summary>
public sealed record IdempotencyClaim(string Key, string Endpoint, byte[] RequestHash);
