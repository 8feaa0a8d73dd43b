using Orbyt.Core.Data;

namespace Orbyt.Core.Jobs;

/// <summary>
/// <c>Orbyt:Schedule</c>: how far ahead of its <c>publish_at</c> a scheduled job is checked and released. Read by the
/// API (which sets a new or rescheduled job's times) and by the Uploader's scheduler (docs/publishing.md, scheduling).
/// </summary>
public sealed class ScheduleOptions
{
    public const string Section = "Orbyt:Schedule";

    /// <summary>
    /// The pre-flight check (connection still active, token alive, media reachable and its signed URL still valid at
    /// the time) runs this long before <c>publish_at</c>, so a job that would fail fails while the user can still fix
    /// it. A job scheduled closer than this is checked at once.
    /// </summary>
    public TimeSpan PreflightLead { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// A public YouTube video is released this long before <c>publish_at</c> and uploaded as private with YouTube's own
    /// <c>status.publishAt</c> (§15.4): YouTube makes it public at the minute, whatever the upload's length.
    /// </summary>
    public TimeSpan YouTubeUploadLead { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// An Instagram job is released this long before <c>publish_at</c>: its container is created and processed, and
    /// <c>media_publish</c> waits for the time. Containers expire 24 h after creation, so this stays well under that.
    /// </summary>
    public TimeSpan InstagramContainerLead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The furthest ahead a publication may be scheduled.</summary>
    public TimeSpan MaxAhead { get; set; } = TimeSpan.FromDays(365);

    /// <summary>When the scheduler releases a job to be live at <paramref name="publishAt"/>: that time less the platform's lead.</summary>
    public DateTimeOffset ReleaseAt(string platform, bool uploadAhead, DateTimeOffset publishAt) => publishAt - platform switch
    {
        PlatformNames.YouTube when uploadAhead => YouTubeUploadLead,
        PlatformNames.Instagram => InstagramContainerLead,
        _ => TimeSpan.Zero,
    };

    /// <summary>When the pre-flight check is due: <see cref="PreflightLead"/> before the release, not before now.</summary>
    public DateTimeOffset PreflightAt(DateTimeOffset releaseAt, DateTimeOffset now)
    {
        var at = releaseAt - PreflightLead;
        return at < now ? now : at;
    }
}
