using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbyt.Core.Jobs;

/// <summary>A published job's post differs from what was asked: what was asked, what the platform applied, and why it matters.</summary>
/// <param name="Code">Stable code: <c>youtube_privacy_changed</c>, <c>first_comment_failed</c>.</param>
/// <param name="Message">What differs, for people.</param>
/// <param name="Requested">The value Orbyt sent.</param>
/// <param name="Applied">The value the platform reports.</param>
public sealed record JobWarning(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("requested")] string? Requested,
    [property: JsonPropertyName("applied")] string? Applied)
{
    /// <summary>YouTube applied another privacy than the one asked for (channel settings make uploads private).</summary>
    public const string YouTubePrivacyChanged = "youtube_privacy_changed";

    /// <summary>The post is published, its first comment is not (result.first_comment says why).</summary>
    public const string FirstCommentFailed = "first_comment_failed";

    public static JsonDocument? ToJson(IReadOnlyList<JobWarning> warnings) =>
        warnings.Count == 0 ? null : JsonSerializer.SerializeToDocument(warnings);

    public static IReadOnlyList<JobWarning> Read(JsonDocument? json) => json?.Deserialize<List<JobWarning>>() ?? [];
}
