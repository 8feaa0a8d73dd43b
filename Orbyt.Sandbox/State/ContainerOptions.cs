namespace Orbyt.Sandbox.State;

/// <summary>
/// What an Instagram container was created with beyond its media (reference §13.1, §13.4), kept on the container and
/// shown on the published item.
/// </summary>
public sealed class ContainerOptions
{
    public bool? ShareToFeed { get; init; }
    /// <summary>The cover image's URL as sent; <see cref="CoverSha256"/> once Meta fetched it.</summary>
    public string? CoverUrl { get; init; }
    public string? CoverSha256 { get; set; }
    public long? CoverByteLength { get; set; }
    /// <summary>Milliseconds into the video; a cover_url wins over it (§13.4).</summary>
    public long? ThumbOffset { get; set; }
    public IReadOnlyList<string>? Collaborators { get; set; }
    public string? LocationId { get; set; }
    public IReadOnlyList<UserTag>? UserTags { get; set; }
}

/// <summary>One tagged user: a public username and, where given, the tag's position as fractions of the width and height.</summary>
public sealed record UserTag(string Username, double? X, double? Y);

/// <summary>A Page with location data that <c>location_id</c> may name (§13.1).</summary>
public sealed record Place(string Id, string Name, double Latitude, double Longitude);
