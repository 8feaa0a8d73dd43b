using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbyt.Core.Jobs;

/// <summary>
/// What became of a published job's first comment (job <c>result.first_comment</c>). The post is published either way:
/// a failed comment never fails the job and never publishes the post again.
/// </summary>
/// <param name="Status"><c>published</c> (the comment is under the post) or <c>failed</c>.</param>
/// <param name="Id">The platform's comment id, when published.</param>
/// <param name="Error">Why it failed (code <c>first_comment_failed</c>, the platform's error in <c>platform</c>), when failed.</param>
public sealed record FirstCommentResult(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("error")] JobError? Error)
{
    public const string Published = "published";
    public const string Failed = "failed";

    /// <summary>The job checkpoint's property holding the outcome, once there is one (<see cref="JobCheckpoint"/>).</summary>
    public const string CheckpointKey = "first_comment";

    public static FirstCommentResult? Read(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element.Deserialize<FirstCommentResult>() : null;
}
