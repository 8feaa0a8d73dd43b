namespace Orbyt.Sandbox.State;

public sealed class InstagramAccount
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    /// <summary>The linked Facebook Page; null for an account reachable only through Instagram Login (reference §14).</summary>
    public string? PageId { get; init; }

    /// <summary>The identity that owns the account and logs in to it with Instagram Login.</summary>
    public string? IdentityId { get; init; }

    /// <summary>The Instagram-scoped id Instagram Login's code exchange and <c>/me</c>'s <c>id</c> give (§14.2, §14.5); not a publishing path.</summary>
    public string ScopedId { get; init; } = "";

    /// <summary>BUSINESS or MEDIA_CREATOR (§14.5).</summary>
    public string AccountType { get; init; } = "BUSINESS";
    /// <summary>Posts made elsewhere (quota exhaustion through the control API), counted in the rolling 24 hours from <see cref="ExtraPublishedAt"/>.</summary>
    public int ExtraPublishedForQuota { get; set; }
    public DateTimeOffset ExtraPublishedAt { get; set; }

    /// <summary>
    /// Set by the control API: Meta restricted the account's activity as possible spam, so creating and publishing media
    /// answer 4/2207051 until then. It is not a quota: no usage figure moves.
    /// </summary>
    public DateTimeOffset? RestrictedUntil { get; set; }
}
