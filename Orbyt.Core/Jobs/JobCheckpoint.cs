using System.Text.Json;
using System.Text.Json.Nodes;
using Orbyt.Core.Data;

namespace Orbyt.Core.Jobs;

/// <summary>
/// The recipe's persisted progress: platform references as they are obtained (container id, session URI,
/// video id) and the markers of irreversible steps. Saved after each step so a crash resumes, never repeats.
/// </summary>
public static class JobCheckpoint
{
    /// <summary>Set just before an irreversible call (IG media_publish, a FB post, the last YouTube chunk).</summary>
    public const string PublishStarted = "publish_started_at";

    /// <summary>
    /// The platform's ids of a post's items, in order, saved one by one as they are obtained: an Instagram carousel's
    /// child containers, a Facebook multi-photo post's unpublished photos. Shown as the job result's <c>children</c>.
    /// </summary>
    public const string ChildIds = "children";

    public static List<string> Children(JsonObject checkpoint) =>
        checkpoint[ChildIds] is JsonArray ids ? ids.Select(i => i!.GetValue<string>()).ToList() : [];

    public static void SetChildren(JsonObject checkpoint, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) checkpoint.Remove(ChildIds);
        else checkpoint[ChildIds] = new JsonArray(ids.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());
    }

    /// <summary>YouTube: the custom thumbnail's outcome (<see cref="JobFollowUp"/>), saved once thumbnails.set succeeded or definitively failed.</summary>
    public const string Thumbnail = "thumbnail";

    /// <summary>YouTube: the playlist entry's outcome (<see cref="JobFollowUp"/>), saved once playlistItems.insert succeeded or definitively failed.</summary>
    public const string Playlist = "playlist";

    /// <summary>When the job began to wait for its media (404); the wait's budget counts from here.</summary>
    public const string MediaWaitingSince = "media_waiting_since";

    /// <summary>How many times a platform could not fetch the media URL it was handed.</summary>
    public const string PlatformFetchFailures = "platform_fetch_failures";

    /// <summary>
    /// A retry with a fresh media URL starts the media's budgets again: the wait for a missing file and the hand-overs
    /// a platform could not fetch.
    /// </summary>
    public static void ForgetMediaWaits(Job job)
    {
        var checkpoint = Read(job);
        checkpoint.Remove(MediaWaitingSince);
        checkpoint.Remove(PlatformFetchFailures);
        Write(job, checkpoint);
    }

    public static JsonObject Read(Job job) => job.Checkpoint is null ? [] : JsonNode.Parse(job.Checkpoint.RootElement.GetRawText())!.AsObject();

    public static void Write(Job job, JsonObject checkpoint) => job.Checkpoint = JsonDocument.Parse(checkpoint.ToJsonString());

    public static bool IrreversibleStarted(Job job) => job.Checkpoint is not null && job.Checkpoint.RootElement.TryGetProperty(PublishStarted, out _);
}
