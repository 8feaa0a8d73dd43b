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

    public static JsonObject Read(Job job) => job.Checkpoint is null ? [] : JsonNode.Parse(job.Checkpoint.RootElement.GetRawText())!.AsObject();

    public static void Write(Job job, JsonObject checkpoint) => job.Checkpoint = JsonDocument.Parse(checkpoint.ToJsonString());

    public static bool IrreversibleStarted(Job job) => job.Checkpoint is not null && job.Checkpoint.RootElement.TryGetProperty(PublishStarted, out _);
}
