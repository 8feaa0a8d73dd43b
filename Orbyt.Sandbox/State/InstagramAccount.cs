namespace Orbyt.Sandbox.State;

public sealed class InstagramAccount
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string PageId { get; init; }
    /// <summary>Posts made elsewhere (quota exhaustion through the control API), counted in the rolling 24 hours from <see cref="ExtraPublishedAt"/>.</summary>
    public int ExtraPublishedForQuota { get; set; }
    public DateTimeOffset ExtraPublishedAt { get; set; }

    /// <summary>
    /// Set by the control API: Meta restricted the account's activity as possible spam, so creating and publishing media
    /// answer 4/2207051 until then. It is not a quota: no usage figure moves.
    /// </summary>
    public DateTimeOffset? RestrictedUntil { get; set; }
}
