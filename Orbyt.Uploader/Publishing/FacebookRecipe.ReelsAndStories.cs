using System.Globalization;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Facebook reels (<c>/video_reels</c>, reference §2.4, §12.4) and stories (<c>/video_stories</c>, <c>/photo_stories</c>,
/// §12.5). A video goes start → rupload (Meta pulls <c>file_url</c>; once its fetches are spent, the bytes are pushed from
/// the offset Meta reports) → finish, the irreversible step, → status polled until ready. A photo story is an unpublished
/// photo, then <c>photo_stories</c>. Every reference is saved as Meta gives it; before repeating a finish whose answer was
/// lost, the Page's reels or stories are read for this video or photo.
/// </summary>
public sealed partial class FacebookRecipe
{
    private const string EdgeVideoId = "fb_edge_video_id";
    private const string EdgeUploadUrl = "fb_edge_upload_url";
    private const string EdgeUploaded = "fb_edge_uploaded_at";
    private const string StoryPhotoId = "fb_story_photo_id";
    private const string StoryPostId = "fb_story_post_id";
    private const string ReelsEdge = "video_reels";
    private const string StoriesEdge = "video_stories";

    private static bool IsReelOrStory(JobContext ctx) => ctx.Content.Format is ContentFormats.Reel or ContentFormats.Story;

    private Task<StepOutcome> ReelOrStoryAsync(JobContext ctx, CancellationToken ct) =>
        ctx.Content.Format == ContentFormats.Story && ctx.MediaType == MediaTypes.Image ? PhotoStoryAsync(ctx, ct) : PageVideoEdgeAsync(ctx, ct);

    private async Task<StepOutcome> PageVideoEdgeAsync(JobContext ctx, CancellationToken ct)
    {
        var story = ctx.Content.Format == ContentFormats.Story;
        var edge = story ? StoriesEdge : ReelsEdge;
        var pageId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        if (ctx.Get(EdgeVideoId) is not { } videoId)
        {
            // No upload for a reel the Page could not publish today.
            if (!story && await ReelBudgetWaitAsync(ctx, ct) is { } full)
                return full;
            var (id, url) = await meta.StartPageVideoAsync(pageId, token, edge, ct);
            ctx.Checkpoint[EdgeUploadUrl] = url;
            await ctx.SetAsync(EdgeVideoId, id, ct, JobStages.Uploading);
            videoId = id;
        }

        if (ctx.Get(EdgeUploaded) is null && await UploadEdgeVideoAsync(ctx, videoId, ct) is { } instead)
            return instead;

        if (ctx.Get(JobCheckpoint.PublishStarted) is { } started && await FinishedBeforeAsync(ctx, story, videoId, started, ct) is { } found)
            return found;
        if (!story && await ReelBudgetWaitAsync(ctx, ct) is { } fullNow)
            return fullNow;

        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        string? postId;
        try
        {
            postId = await meta.FinishPageVideoAsync(pageId, token, edge, videoId, ctx.Caption, ctx.Title, ct);
        }
        catch (Exception ex) when (ex is MetaApiException or PlatformBudgetExhaustedException)
        {
            // An answer (or a call never sent): nothing was published.
            await ctx.SetAsync(JobCheckpoint.PublishStarted, null, ct);
            // Another publisher of the Page filled Meta's window since the count (the error is undocumented: docs/decisions.md).
            if (!story && ex is MetaApiException { Code: 100 } capped && capped.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
                return new StepOutcome.Wait(options.Value.ReelLimitRetryDelay, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.FacebookReelLimitReached, JobError.Describe(capped)));
            throw;
        }
        return await PublishedEdgeVideoAsync(ctx, videoId, postId, ct);
    }

    /// <summary>The finish went through: the story's post id saved, then the video followed through processing.</summary>
    private async Task<StepOutcome> PublishedEdgeVideoAsync(JobContext ctx, string videoId, string? storyPostId, CancellationToken ct)
    {
        ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
        if (storyPostId is not null)
            ctx.Checkpoint[StoryPostId] = storyPostId;
        await ctx.SetAsync(VideoId, videoId, ct, JobStages.PlatformProcessing);
        return await FollowVideoAsync(ctx, videoId, ct);
    }

    /// <summary>
    /// The bytes into the video's rupload URL: Meta pulls the URL (<c>file_url</c>) while its fetch budget lasts; then the
    /// bytes are pushed with ranged reads from the offset Meta reports (a crash mid-push resumes there). Null once Meta has
    /// them all (saved), else what the job does instead.
    /// </summary>
    private async Task<StepOutcome?> UploadEdgeVideoAsync(JobContext ctx, string videoId, CancellationToken ct)
    {
        var token = ctx.Token.AccessToken;
        var uploadUrl = ctx.Get(EdgeUploadUrl)!;
        var status = await meta.GetVideoStatusAsync(videoId, token, ct);
        if (status.UploadingStatus is not "complete" and not "completed")
        {
            if (!PlatformFetch.Exhausted(ctx, options.Value))
            {
                ctx.Job.TransferMethod = "platform_pull";
                if (!await meta.RuploadHostedFileAsync(uploadUrl, token, ctx.MediaUrl, ct))
                {
                    var detail = new PlatformErrorDetail(null, null, "rupload ProcessingFailedError: Meta could not fetch the file_url.", null);
                    if (await PlatformFetch.WaitOrGiveUpAsync(ctx, options.Value, detail, ct) is { } wait)
                        return wait;
                    LogPushFallback(logger, ctx.Job.Id, "video");
                    return await PushEdgeVideoAsync(ctx, uploadUrl, 0, ct);
                }
            }
            else if (await PushEdgeVideoAsync(ctx, uploadUrl, status.BytesTransferred ?? 0, ct) is { } instead)
            {
                return instead;
            }
        }
        await ctx.SetAsync(EdgeUploaded, ctx.Now.ToString("O"), ct, JobStages.PlatformProcessing);
        return null;
    }

    private async Task<StepOutcome?> PushEdgeVideoAsync(JobContext ctx, string uploadUrl, long offset, CancellationToken ct)
    {
        ctx.Job.TransferMethod = "push";
        var (unreadable, opened) = await OpenMediaAsync(ctx, ct);
        if (unreadable is not null)
            return unreadable;
        await using var source = opened!;
        ctx.Job.BytesTotal = source.Length;
        using var relay = await ctx.Slot.EnterRelayAsync(ct);
        if (relay is null)
            return new StepOutcome.Wait(options.Value.RelayRetryDelay, JobStages.Uploading);
        source.Position = offset;
        // rupload takes the rest of the file in one request from Meta's offset (the same call as Instagram's, §2.4/§13.7).
        // Progress as the bytes go (each write also renews the job's lease).
        await meta.UploadInstagramBytesAsync(uploadUrl, ctx.Token.AccessToken, source, offset, source.Length, relay.Buffer, ct,
            (sent, c) => ctx.ReportProgressAsync(offset + sent, source.Length, c));
        await ctx.ReportProgressAsync(source.Length, source.Length, ct);
        return null;
    }

    /// <summary>
    /// A finish whose answer was lost: the Page's reels (or stories) since the marker are read; this video among them means
    /// it went through. Not there: null, and the finish is sent again (Meta answers a second finish of the same video without
    /// publishing twice in the sandbox; the lookup keeps that from being relied on).
    /// </summary>
    private async Task<StepOutcome?> FinishedBeforeAsync(JobContext ctx, bool story, string videoId, string startedAt, CancellationToken ct)
    {
        var since = DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture) - ClockSkew;
        if (story)
        {
            var stories = await meta.ListRecentStoriesAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, since, ct);
            if (stories.FirstOrDefault(s => s.MediaId == videoId) is { PostId: { } postId })
                return await PublishedEdgeVideoAsync(ctx, videoId, postId, ct);
        }
        else if ((await meta.ListRecentReelsAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, since, ct)).Reels.Any(r => r.Id == videoId))
        {
            return await PublishedEdgeVideoAsync(ctx, videoId, null, ct);
        }
        await ctx.SetAsync(JobCheckpoint.PublishStarted, null, ct);
        return null;
    }

    /// <summary>
    /// Orbyt's own count of the Page's reels in the last 24 hours (<see cref="FacebookReelWindow"/>, the count connection
    /// health reports too; it lists every reel of the Page, so it can only over-count Meta's API-published ones): at 30,
    /// the job waits, with <c>facebook_reel_limit_reached</c>, until the oldest leaves the window — instead of spending
    /// Meta's cap. Counted before each finish.
    /// </summary>
    private async Task<StepOutcome?> ReelBudgetWaitAsync(JobContext ctx, CancellationToken ct)
    {
        var now = ctx.Now;
        var reels = await meta.ListRecentReelsAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, now - FacebookReelWindow.Length, ct);
        if (reels.Left > 0)
            return null;
        var delay = reels.Oldest is { } oldest ? oldest + FacebookReelWindow.Length - now : options.Value.ReelLimitRetryDelay;
        if (delay <= TimeSpan.Zero) delay = options.Value.PollInterval;
        return new StepOutcome.Wait(delay, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.FacebookReelLimitReached, null,
            $"The Page published {reels.Used} reels in the last 24 hours (Meta allows {FacebookReelWindow.ReelsPerPagePerDay} through the API); the reel waits until {now + delay:O}."));
    }

    /// <summary>
    /// A photo story (§12.5): the photo uploaded unpublished (by URL, pushed once Meta's fetches are spent), its id saved;
    /// then <c>photo_stories</c>, the irreversible step, preceded by the marker. After a lost answer the Page's stories are
    /// read for this photo; and a second use of the photo is refused by Meta (1366051), so a story is never posted twice.
    /// </summary>
    private async Task<StepOutcome> PhotoStoryAsync(JobContext ctx, CancellationToken ct)
    {
        var pageId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        if (ctx.Get(StoryPhotoId) is not { } photoId)
        {
            var (instead, id) = await UnpublishedPhotoAsync(ctx, ctx.Content.Items[0], ct);
            if (instead is not null)
                return instead;
            await ctx.SetAsync(StoryPhotoId, id, ct, JobStages.Uploading);
            photoId = id!;
        }

        if (ctx.Get(JobCheckpoint.PublishStarted) is { } startedAt)
        {
            var since = DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture) - ClockSkew;
            if ((await meta.ListRecentStoriesAsync(pageId, token, since, ct)).FirstOrDefault(s => s.MediaId == photoId) is { PostId: { } found })
                return StoryPublished(ctx, found);
        }

        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        string postId;
        try
        {
            postId = await meta.PublishPhotoStoryAsync(pageId, token, photoId, ct);
        }
        catch (Exception ex) when (ex is MetaApiException or PlatformBudgetExhaustedException)
        {
            await ctx.SetAsync(JobCheckpoint.PublishStarted, null, ct);
            if (ex is MetaApiException { Subcode: PhotosAlreadyPosted } posted)
                return StepOutcome.Fail(ErrorCatalog.PublishOutcomeUnknown, JobError.Describe(posted),
                    "Meta says this job's photo is already in a story the lookup did not find; check the Page before publishing again.");
            throw;
        }
        return StoryPublished(ctx, postId);
    }

    private static StepOutcome StoryPublished(JobContext ctx, string postId) =>
        new StepOutcome.Published(postId, $"https://www.facebook.com/stories/{ctx.Connection.AccountId}/{postId}");
}
