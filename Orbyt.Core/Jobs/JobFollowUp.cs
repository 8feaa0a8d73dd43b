using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Orbyt.Core.Jobs;

/// <summary>
/// The outcome of a step that runs after the post itself is live (a YouTube video's custom thumbnail, its playlist
/// entry): it never undoes or repeats the post, so a failure here leaves the job published, with this outcome and a
/// warning saying so.
/// </summary>
/// <param name="Status"><c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Id">The platform's id of what the step made, when it has one (the playlist item's id).</param>
/// <param name="Error">Why it failed: a catalog error with the platform's own code; null when it succeeded.</param>
public sealed record JobFollowUp(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("error")] JobError? Error)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public static JobFollowUp Done(string? id = null) => new(Succeeded, id, null);

    public static JobFollowUp Fail(JobError error) => new(Failed, null, error);

    /// <summary>The outcome saved under <paramref name="key"/> in a checkpoint, or null while the step has not finished.</summary>
    public static JobFollowUp? Read(JsonObject checkpoint, string key) =>
        checkpoint[key] is JsonObject saved ? saved.Deserialize<JobFollowUp>() : null;

    public static JobFollowUp? Read(JsonDocument? checkpoint, string key) =>
        checkpoint is not null && checkpoint.RootElement.TryGetProperty(key, out var saved) && saved.ValueKind == JsonValueKind.Object
            ? saved.Deserialize<JobFollowUp>() : null;

    public void Write(JsonObject checkpoint, string key) => checkpoint[key] = JsonSerializer.SerializeToNode(this);
}
