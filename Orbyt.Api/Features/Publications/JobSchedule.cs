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
        var releaseAt = options.ReleaseAt(job.Platform, UploadsAhead(job, publication), publishAt);
        job.Status = JobStatuses.Scheduled;
        job.Stage = null;
        job.PublishAt = publishAt;
        job.NextAttemptAt = releaseAt < now ? now : releaseAt;
        job.PreflightAt = options.PreflightAt(releaseAt, now);
        job.EnqueuedAt = null;
    }

    /// <summary>
    /// A public YouTube video is uploaded ahead as private with YouTube's own publishAt, which only ever makes a video
    /// public (§15.4); an unlisted or private one is uploaded at its time. The target's own options win (as the
    /// Uploader reads them).
    /// </summary>
    public static bool UploadsAhead(Job job, Publication publication) =>
        job.Platform == PlatformNames.YouTube
        && TargetContent.Read(publication, job.ConnectionId, job.Platform, NoUrls).Option("privacy_status") == "public";

    /// <summary>Only the options are read: the items' URLs do not matter here.</summary>
    private static readonly string[] NoUrls = Enumerable.Repeat("", CreatePublicationValidator.MaxMediaItems).ToArray();
}
