namespace Orbyt.Core.Data;

/// <summary>An API key <c>orb_{key_id}_{secret}</c>; only the SHA-256 of its secret is stored (the API hashes and checks it).</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public ApiClient? Client { get; set; }
    /// <summary>Public part of the key, used to find the row.</summary>
    public required string KeyId { get; set; }
    public required byte[] SecretHash { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
