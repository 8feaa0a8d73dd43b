namespace Orbyt.Sandbox.State;

/// <summary>One item of a published carousel or multi-photo post; <c>Id</c> is the platform's id of the item where it has one (a Facebook photo).</summary>
public sealed record PublishedChild(string Type, long ByteLength, string? Sha256, string? AltText = null, string? Id = null)
{
    /// <summary>Instagram: users tagged on this carousel item (§13.1).</summary>
    public IReadOnlyList<UserTag>? UserTags { get; init; }
}
