using System.Text.Json;

namespace Orbyt.Core.Data;

/// <summary>One media item to publish to one or more connections; one <see cref="Job"/> per target.</summary>
public sealed class Publication
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string MediaType { get; set; }
    /// <summary>
    /// The media URL as it may be shown: every query value redacted (a signed URL's token is a secret). The full URL,
    /// when it has a query, is <see cref="MediaUrlSealed"/>.
    /// </summary>
    public required string MediaUrl { get; set; }
    /// <summary>The full media URL sealed by the vault (purpose <c>media-url</c>), when it has a query; null otherwise.</summary>
    public byte[]? MediaUrlSealed { get; set; }
    public string? Caption { get; set; }
    public string? Title { get; set; }
    /// <summary>Per-platform options as sent (youtube, instagram, facebook objects).</summary>
    public JsonDocument? Options { get; set; }
    public string? CallbackUrl { get; set; }
    public string? ClientReference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<Job> Jobs { get; set; } = [];
}
