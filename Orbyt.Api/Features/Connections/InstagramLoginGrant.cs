using Orbyt.Core.Platforms.Meta;

namespace Orbyt.Api.Features.Connections;

/// <summary>What an Instagram Login consent produced: the account, its long-lived Instagram User token and its expiry, the granted permissions.</summary>
public sealed record InstagramLoginGrant(InstagramProfessionalAccount Account, string Token, DateTimeOffset ExpiresAt, IReadOnlyList<string> Scopes)
{
    /// <summary>60 days, when the exchange does not say (reference §14.3).</summary>
    public const long DefaultLifetimeSeconds = 5_184_000;
}
