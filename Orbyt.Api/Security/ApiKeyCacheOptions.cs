namespace Orbyt.Api.Security;

/// <summary><c>Orbyt:ApiKeys</c>.</summary>
public sealed class ApiKeyCacheOptions
{
    public const string Section = "Orbyt:ApiKeys";

    /// <summary>
    /// How long a replica may answer from its copy of a key's stored hash and revocation time. A revocation
    /// reaches every replica at once through Redis; this bounds it when that message is missed (Redis down).
    /// 0 reads the key row on every request.
    /// </summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(10);
}
