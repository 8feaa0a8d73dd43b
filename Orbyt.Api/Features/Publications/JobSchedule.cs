using System.Text.Json;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Puts a job on schedule — at creation, on a reschedule, and on a retry before its time — the one place that decides
/// its release time (publish_at less the platform's lead) and when its pre-flight check is due.
/// </summary>
public static class JobSchedule
{
    public static void Schedule(Job job, Publication publication, DateTimeOffset publishAt, ScheduleOptions options, DateTimeOffset now)
    {
        var releaseAt = options.ReleaseAt(job.Platform, UploadsAhead(publication.Options), publishAt);
        job.Status = JobStatuses.Scheduled;
        job.Stage = null;
        job.PublishAt = publishAt;
        job.NextAttemptAt = releaseAt < now ? now : releaseAt;
        job.PreflightAt = options.PreflightAt(releaseAt, now);
        job.EnqueuedAt = null;
    }

    /// <summary>
    /// A public YouTube video is uploaded ahead as private with YouTube's own publishAt, which only ever makes a video
    /// public (§15.4); an unlisted or private one is uploaded at its time.
    /// </summary>
    public static bool UploadsAhead(JsonDocument? options) =>
        options is not null && options.RootElement.TryGetProperty("youtube", out var youtube) && youtube.ValueKind == JsonValueKind.Object
        && youtube.TryGetProperty("privacy_status", out var privacy) && privacy.ValueKind == JsonValueKind.String && privacy.GetString() == "public";
}
