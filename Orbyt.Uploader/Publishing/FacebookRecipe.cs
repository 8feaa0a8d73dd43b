using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Core.Credentials;
using Orbyt.Core.Platforms;
using Orbyt.Core.Vault;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.Meta;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Facebook Page: a photo by URL, or a video by file_url (Meta pulls it) — and when Meta cannot fetch the URL (after
/// <see cref="UploaderOptions.PlatformFetchRetries"/> hand-overs), a photo's bytes posted as multipart <c>source</c>,
/// a video's bytes pushed through the Resumable Upload API (a session of the person's user token, bytes sent with ranged reads of
/// the media URL, the session checkpointed so a crash resumes from Meta's committed offset), then published with the
/// file handle. Everything on graph.facebook.com (reference §17.4). Followed through processing.
/// The post call is irreversible: a run that finds it started without an answer first looks for the post on the
/// Page, and posts again only when it is certainly not there.
/// </summary>
public sealed partial class FacebookRecipe(
    MetaPublishingClient meta,
    OrbytDbContext db,
    ITokenVault vault,
    IHttpClientFactory httpClients,
    IOptions<UploaderOptions> options,
    ILogger<FacebookRecipe> logger) : IPublishRecipe
{
    private const string VideoId = "video_id";
    private const string UploadSessionId = "fb_upload_session_id";
    private const string UploadHandle = "fb_upload_handle";
    private const string UploadOffset = "fb_upload_offset";
    private const string LookedUpAt = "publish_looked_up_at";
    /// <summary>Meta's "Unable to fetch video file from URL": the one answer that says pushing the bytes will help.</summary>
    private const int CannotFetchVideo = 389;
    /// <summary>Meta's "These photos were already posted" on a /feed post's attached_media (reference §12.2).</summary>
    private const int PhotosAlreadyPosted = 1366051;
    /// <summary>Bytes per upload request: the offset is checkpointed after each, so a crash repeats at most one window.</summary>
    private const long UploadWindow = 8 * 1024 * 1024;
    /// <summary>Our clock and Meta's may differ; the lookup starts this much before the marker.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public string Platform => PlatformNames.Facebook;

    public async Task<StepOutcome> RunAsync(JobContext ctx, CancellationToken ct)
    {
        if (ctx.Get(VideoId) is { } videoId)
            return await FollowVideoAsync(ctx, videoId, ct);
        if (IsReelOrStory(ctx))
            return await ReelOrStoryAsync(ctx, ct);
        // A post call (by URL, or with an uploaded file's handle) went out without an answer: look on the Page first.
        if (ctx.Get(JobCheckpoint.PublishStarted) is { } started && await ResolveLostPostAsync(ctx, started, ct) is { } resolved)
            return resolved;
        if (IsFeedPost(ctx))
            return await FeedPostAsync(ctx, ct);
        if (ctx.Get(UploadSessionId) is not null)
            return await PushVideoAsync(ctx, ct);
        var isImage = ctx.MediaType == MediaTypes.Image;
        // Meta could not fetch the photo's URL within the hand-over budget: a later run pushes rather than hand it over again.
        if (isImage && PlatformFetch.Exhausted(ctx, options.Value))
            return await PushPhotoAsync(ctx, ct);

        var pageId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        ctx.Job.TransferMethod = "platform_pull";
        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        try
        {
            if (isImage)
            {
                var (id, postId) = await meta.PublishPagePhotoAsync(pageId, token, ctx.MediaUrl, ctx.Caption, ctx.Content.Items[0].AltText, ct);
                var post = postId ?? id;
                return new StepOutcome.Published(post, $"https://www.facebook.com/{post}");
            }
            var created = await meta.PublishPageVideoFromUrlAsync(pageId, token, ctx.MediaUrl, ctx.Title, ctx.Caption, ct);
            ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
            await ctx.SetAsync(VideoId, created, ct, JobStages.PlatformProcessing);
            return await FollowVideoAsync(ctx, created, ct);
        }
        catch (PlatformBudgetExhaustedException)
        {
            // The call was never sent: nothing was posted, so a later attempt may post.
            ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
            await ctx.SaveAsync(ct);
            throw;
        }
        catch (MetaApiException ex)
        {
            // Meta answered with an error: nothing was posted, so a later attempt may post.
            ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
            await ctx.SaveAsync(ct);
            if (isImage ? !PlatformFetch.IsPhotoFetchFailure(ex) : ex.Code != CannotFetchVideo)
                throw;
            if (await PlatformFetch.WaitOrGiveUpAsync(ctx, options.Value, JobError.Describe(ex), ct) is { } wait)
                return wait;
            LogPushFallback(logger, ctx.Job.Id, isImage ? "photo" : "video");
            return isImage ? await PushPhotoAsync(ctx, ct) : await PushVideoAsync(ctx, ct);
        }
    }

    /// <summary>
    /// The marker says a post call went out without an answer. Found on the Page → that is the result; several
    /// candidates, or a lookup Meta refuses → publish_outcome_unknown; not found twice, a poll interval apart →
    /// it was not posted: null, and the caller posts.
    /// </summary>
    private async Task<StepOutcome?> ResolveLostPostAsync(JobContext ctx, string startedAt, CancellationToken ct)
    {
        var started = DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture);
        var isFeed = IsFeedPost(ctx);
        var isVideo = !isFeed && ctx.MediaType == MediaTypes.Video;
        IReadOnlyList<PagePostCandidate> recent;
        try
        {
            recent = isFeed
                ? await meta.ListRecentFeedPostsAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, started - ClockSkew, ct)
                : await meta.ListRecentPagePostsAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, isVideo, started - ClockSkew, ct);
        }
        catch (MetaApiException ex) when (!ex.IsTransient && !ex.IsInvalidToken)
        {
            return StepOutcome.Fail(ErrorCatalog.PublishOutcomeUnknown, new PlatformErrorDetail(ex.Code.ToString(CultureInfo.InvariantCulture), ex.Subcode?.ToString(CultureInfo.InvariantCulture), ex.Message, ex.FbtraceId));
        }

        var matching = recent.Where(c => (c.Text ?? "") == (ctx.Caption ?? "") && (!isVideo || (c.Title ?? "") == (ctx.Title ?? "")))
            .Select(c => (Candidate: c, Result: isVideo ? c.Id : c.Reference ?? c.Id)).ToList();
        // A post another job of this connection already recorded is not this job's.
        var results = matching.Select(m => m.Result).ToList();
        var owned = await db.Jobs.AsNoTracking()
            .Where(j => j.ConnectionId == ctx.Job.ConnectionId && j.Id != ctx.Job.Id && j.ResultPostId != null && results.Contains(j.ResultPostId))
            .Select(j => j.ResultPostId!).ToListAsync(ct);
        matching.RemoveAll(m => owned.Contains(m.Result));
        LogLookup(logger, ctx.Job.Id, recent.Count, matching.Count);

        switch (matching.Count)
        {
            case 1 when isVideo:
                ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
                ctx.Checkpoint.Remove(LookedUpAt);
                await ctx.SetAsync(VideoId, matching[0].Result, ct, JobStages.PlatformProcessing);
                return await FollowVideoAsync(ctx, matching[0].Result, ct);
            case 1:
                return new StepOutcome.Published(matching[0].Result, $"https://www.facebook.com/{matching[0].Result}");
            case > 1:
                return StepOutcome.Fail(ErrorCatalog.PublishOutcomeUnknown, null,
                    $"The post call's answer was lost and {matching.Count} posts on the Page match it; check the Page before publishing again.");
        }
        if (ctx.Get(LookedUpAt) is null)
        {
            // A post still being made when the answer was lost may not be listed yet: look once more a little later.
            await ctx.SetAsync(LookedUpAt, ctx.Now.ToString("O"), ct);
            return new StepOutcome.Wait(options.Value.PollInterval, JobStages.Publishing);
        }
        ctx.Checkpoint.Remove(LookedUpAt);
        ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
        await ctx.SaveAsync(ct);
        return null;
    }

    /// <summary>
    /// The push path (Resumable Upload API, reference §17.4): a session started with the person's user token and saved
    /// before any byte; the bytes sent in windows from Meta's committed offset, read from the media URL with ranged reads;
    /// then the video published on the Page with the file handle — the irreversible step, preceded by the marker that makes
    /// a run after a lost answer look on the Page before posting again.
    /// </summary>
    private async Task<StepOutcome> PushVideoAsync(JobContext ctx, CancellationToken ct)
    {
        var pageId = ctx.Connection.AccountId;
        ctx.Job.TransferMethod = "push";
        if (ctx.Get(UploadHandle) is not { } handle)
        {
            var userToken = await UserTokenAsync(ctx, ct);
            var (unreadable, opened) = await OpenMediaAsync(ctx, ct);
            if (unreadable is not null)
                return unreadable;
            await using var source = opened!;
            ctx.Job.BytesTotal = source.Length;
            // The bytes: a relay, admitted by the replica's relay budget (the light slot is given back meanwhile).
            using (var relay = await ctx.Slot.EnterRelayAsync(ct))
            {
                if (relay is null)
                    return new StepOutcome.Wait(options.Value.RelayRetryDelay, JobStages.Uploading);
                handle = await UploadAsync(ctx, source, userToken, relay.Buffer, ct);
            }
            ctx.Checkpoint[UploadHandle] = handle;
        }

        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        string videoId;
        try
        {
            videoId = await meta.PublishPageVideoFromUploadAsync(pageId, ctx.Token.AccessToken, handle, ctx.Title, ctx.Caption, ct);
        }
        catch (Exception ex) when (ex is MetaApiException or PlatformBudgetExhaustedException)
        {
            // An answer (or a call never sent): nothing was published; the handle stays for the next attempt.
            await ctx.SetAsync(JobCheckpoint.PublishStarted, null, ct);
            throw;
        }
        await ctx.ReportProgressAsync(ctx.Job.BytesTotal ?? 0, ctx.Job.BytesTotal ?? 0, ct);
        foreach (var key in new[] { UploadSessionId, UploadHandle, UploadOffset, JobCheckpoint.PublishStarted })
            ctx.Checkpoint.Remove(key);
        await ctx.SetAsync(VideoId, videoId, ct, JobStages.PlatformProcessing);
        return await FollowVideoAsync(ctx, videoId, ct);
    }

    /// <summary>The media URL opened for ranged reads; a refusal (401/403) or an unreadable URL is what the job does instead.</summary>
    private async Task<(StepOutcome? Instead, RangedHttpStream? Source)> OpenMediaAsync(JobContext ctx, CancellationToken ct)
    {
        try
        {
            return (null, await RangedHttpStream.OpenAsync(httpClients.CreateClient(YouTubeRecipe.MediaClient), new Uri(ctx.MediaUrl), ct));
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
        {
            return (YouTubeRecipe.MediaRefused(ex), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or MediaNotReadyException)
        {
            return (new StepOutcome.Retry(JobError.From(ErrorCatalog.MediaFetchFailed, new PlatformErrorDetail(null, null, "The media URL could not be read.", null))), null);
        }
    }

    /// <summary>
    /// The photo push (reference §2.2) of a single-photo post: the post is the irreversible step, so the same marker as
    /// the URL post precedes it, and a run after a lost answer looks on the Page before posting again.
    /// </summary>
    private async Task<StepOutcome> PushPhotoAsync(JobContext ctx, CancellationToken ct)
    {
        var (instead, posted) = await PushPhotoBytesAsync(ctx, ctx.Content.Items[0], published: true, ct);
        if (instead is not null)
            return instead;
        var post = posted!.Value.PostId ?? posted.Value.Id;
        return new StepOutcome.Published(post, $"https://www.facebook.com/{post}");
    }

    /// <summary>
    /// One photo read from its media URL (one GET through the SSRF-guarded media client, at most 10 MB, format from its
    /// bytes) and posted as the multipart file part <c>source</c>, streamed through a relay of the replica's relay budget.
    /// <paramref name="published"/>: a photo post (irreversible: marker first, <see cref="ResolveLostPostAsync"/> after a
    /// lost answer) or an unpublished photo for a multi-photo post (an orphan at worst, no marker).
    /// </summary>
    private async Task<(StepOutcome? Instead, (string Id, string? PostId)? Posted)> PushPhotoBytesAsync(JobContext ctx, ContentItem item, bool published, CancellationToken ct)
    {
        ctx.Job.TransferMethod = "push";
        // The light slot is given back while the step waits for relay room; the photo is read only once admitted.
        using var relay = await ctx.Slot.EnterRelayAsync(ct);
        if (relay is null)
            return (new StepOutcome.Wait(options.Value.RelayRetryDelay, JobStages.Uploading), null);
        PhotoDownload photo;
        try
        {
            photo = await PhotoDownload.OpenAsync(httpClients.CreateClient(YouTubeRecipe.MediaClient), new Uri(item.Url), MediaSpecs.FacebookPhotoMaxBytes, ct);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
        {
            return (YouTubeRecipe.MediaRefused(ex), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or MediaNotReadyException && !ct.IsCancellationRequested)
        {
            return (new StepOutcome.Retry(JobError.From(ErrorCatalog.MediaFetchFailed, new PlatformErrorDetail(null, null, "The media URL could not be read.", null))), null);
        }
        await using var _ = photo;
        if (photo.Length > MediaSpecs.FacebookPhotoMaxBytes)
            return (StepOutcome.Fail(ErrorCatalog.MediaTooLarge, null, $"Facebook photos may be at most 10 MB; the file has more than {MediaSpecs.FacebookPhotoMaxBytes} bytes."), null);
        if (!photo.Format.IsImage())
            return (StepOutcome.Fail(ErrorCatalog.MediaUnsupportedFormat, null, "The media URL no longer serves an image."), null);
        if (published)
        {
            ctx.Job.BytesTotal = photo.Length;
            await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        }
        (string Id, string? PostId) posted;
        try
        {
            posted = await meta.PublishPagePhotoFromBytesAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, photo.Content, photo.Length,
                photo.Format.MimeType(), ctx.Caption, item.AltText, relay.Buffer, ct, published);
        }
        catch (Exception ex) when (published && ex is MetaApiException or PlatformBudgetExhaustedException)
        {
            // An answer (or a call never sent): nothing was posted.
            await ctx.SetAsync(JobCheckpoint.PublishStarted, null, ct);
            throw;
        }
        // Any other failure (the media host or the connection broke mid-post) leaves the marker: the next run looks first.
        if (published)
            await ctx.ReportProgressAsync(photo.Length, photo.Length, ct);
        return (null, posted);
    }

    /// <summary>
    /// One unpublished photo (§12.2): by URL while Meta's fetch budget lasts (a fetch failure waits and hands it over
    /// again), then pushed as multipart <c>source</c>. Returns its id, or what the job does instead.
    /// </summary>
    private async Task<(StepOutcome? Instead, string? PhotoId)> UnpublishedPhotoAsync(JobContext ctx, ContentItem item, CancellationToken ct)
    {
        if (!PlatformFetch.Exhausted(ctx, options.Value))
        {
            ctx.Job.TransferMethod ??= "platform_pull";
            try
            {
                return (null, await meta.UploadUnpublishedPhotoAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, item.Url, item.AltText, ct));
            }
            catch (MetaApiException ex) when (PlatformFetch.IsPhotoFetchFailure(ex))
            {
                if (await PlatformFetch.WaitOrGiveUpAsync(ctx, options.Value, JobError.Describe(ex), ct) is { } wait)
                    return (wait, null);
                LogPushFallback(logger, ctx.Job.Id, "photo");
            }
        }
        var (instead, pushed) = await PushPhotoBytesAsync(ctx, item, published: false, ct);
        return (instead, pushed?.Id);
    }

    /// <summary>A Page post on /feed: text and/or a link without media, or several photos (reference §12.1, §12.2).</summary>
    private static bool IsFeedPost(JobContext ctx) => ctx.Content.Format == ContentFormats.Post && ctx.Content.Items.Count != 1;

    /// <summary>
    /// A /feed post. Several photos (§12.2): each uploaded unpublished (<c>published=false</c>; by URL, or pushed as
    /// <c>source</c> once Meta's fetches are spent), its id saved in the checkpoint as soon as Meta gives it, so a later
    /// run uploads only the ones still missing; an unpublished photo is seen by nobody, so one whose answer was lost is
    /// only an orphan. Then the post — the irreversible step, preceded by the marker that makes a run after a lost answer
    /// look on the Page first — with <c>attached_media</c>; a text or link post is that call alone (§12.1).
    /// </summary>
    private async Task<StepOutcome> FeedPostAsync(JobContext ctx, CancellationToken ct)
    {
        var photos = JobCheckpoint.Children(ctx.Checkpoint);
        while (photos.Count < ctx.Content.Items.Count)
        {
            var (instead, photoId) = await UnpublishedPhotoAsync(ctx, ctx.Content.Items[photos.Count], ct);
            if (instead is not null)
                return instead;
            photos.Add(photoId!);
            JobCheckpoint.SetChildren(ctx.Checkpoint, photos);
            await ctx.SaveAsync(ct, JobStages.Uploading);
        }

        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        string postId;
        try
        {
            postId = await meta.PublishPageFeedAsync(ctx.Connection.AccountId, ctx.Token.AccessToken, ctx.Caption, ctx.Content.Option("link"), photos, ct);
        }
        catch (Exception ex) when (ex is MetaApiException or PlatformBudgetExhaustedException)
        {
            // An answer (or a call never sent): nothing was posted, so a later attempt may post.
            await ctx.SetAsync(JobCheckpoint.PublishStarted, null, ct);
            // "These photos were already posted" (§12.2): these are this job's own photos, so a post with them exists —
            // one the lookup did not find. Never post again; say so.
            if (ex is MetaApiException { Subcode: PhotosAlreadyPosted } posted)
                return StepOutcome.Fail(ErrorCatalog.PublishOutcomeUnknown, JobError.Describe(posted),
                    "Meta says this job's photos are already in a post the lookup did not find; check the Page before publishing again.");
            throw;
        }
        return new StepOutcome.Published(postId, $"https://www.facebook.com/{postId}");
    }

    /// <summary>
    /// Sends the file into the saved session (or a new one) from the offset Meta reports, one window per request, and
    /// returns the file handle. A session that holds every byte but whose handle answer was lost cannot give the handle
    /// again (GET answers only the offset), so a new session is started.
    /// </summary>
    private async Task<string> UploadAsync(JobContext ctx, RangedHttpStream source, string userToken, Memory<byte> buffer, CancellationToken ct)
    {
        long start = 0;
        if (ctx.Get(UploadSessionId) is { } saved)
        {
            start = await meta.GetUploadOffsetAsync(saved, userToken, ct);
            LogResuming(logger, ctx.Job.Id, start);
        }
        if (ctx.Get(UploadSessionId) is null || start >= source.Length)
        {
            var fileName = $"{ctx.Job.Id:N}.mp4";
            await ctx.SetAsync(UploadSessionId, await meta.StartUploadSessionAsync(userToken, fileName, source.Length, ct), ct, JobStages.Uploading);
            start = 0;
        }
        var session = ctx.Get(UploadSessionId)!;
        while (true)
        {
            var length = Math.Min(UploadWindow, source.Length - start);
            source.Position = start;
            var handle = await meta.UploadBytesAsync(session, userToken, start, source, length, buffer, ct);
            start += length;
            ctx.Checkpoint[UploadOffset] = start.ToString(CultureInfo.InvariantCulture);
            JobCheckpoint.Write(ctx.Job, ctx.Checkpoint);
            await ctx.ReportProgressAsync(start, source.Length, ct);
            if (handle is not null)
                return handle;
            if (start >= source.Length)
                throw new HttpRequestException("Meta took every byte of the upload session but gave no file handle.");
        }
    }

    /// <summary>
    /// The person's user token behind the connection's Page token: Meta's Resumable Upload API opens sessions for a
    /// user, not a Page (reference §17.4).
    /// </summary>
    private async Task<string> UserTokenAsync(JobContext ctx, CancellationToken ct)
    {
        var grantId = await db.Credentials.Where(c => c.Id == ctx.Token.CredentialId).Select(c => c.ParentCredentialId).SingleOrDefaultAsync(ct);
        var grant = grantId is null ? null : await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == grantId, ct);
        if (grant is null || grant.InvalidatedAt is not null || grant.AccessTokenCiphertext.Length == 0)
            throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, "The Meta grant behind this Page no longer works.");
        return vault.Unprotect(grant.AccessTokenCiphertext, VaultPurposes.AccessToken);
    }

    private async Task<StepOutcome> FollowVideoAsync(JobContext ctx, string videoId, CancellationToken ct)
    {
        var status = await meta.GetVideoStatusAsync(videoId, ctx.Token.AccessToken, ct);
        return status.VideoStatus switch
        {
            "ready" when ctx.Get(StoryPostId) is { } storyPost => StoryPublished(ctx, storyPost),
            "ready" => new StepOutcome.Published(videoId, Absolute(status.Permalink) ?? $"https://www.facebook.com/{ctx.Connection.AccountId}/videos/{videoId}"),
            "error" or "upload_failed" => StepOutcome.Fail(ErrorCatalog.FacebookProcessingFailed, new PlatformErrorDetail(null, null, status.Error, null)),
            "expired" => StepOutcome.Fail(ErrorCatalog.FacebookProcessingFailed, new PlatformErrorDetail(null, null, "The video expired before processing finished.", null)),
            _ => StatusPoll.Wait(ctx, options.Value),
        };
    }

    private static string? Absolute(string? permalink) =>
        permalink is null ? null : permalink.StartsWith("http", StringComparison.Ordinal) ? permalink : "https://www.facebook.com" + permalink;

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: Meta cannot fetch the {Kind} URL; pushing the bytes.")]
    private static partial void LogPushFallback(ILogger logger, Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: resuming the Facebook upload session at byte {Offset}.")]
    private static partial void LogResuming(ILogger logger, Guid jobId, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: a post call's answer was lost; {Listed} recent posts on the Page, {Matching} match.")]
    private static partial void LogLookup(ILogger logger, Guid jobId, int listed, int matching);
}
