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
