using Orbyt.Core.RateLimits;
using System.Net;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.YouTube;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// YouTube: videos.insert through the resumable protocol, streaming from the Mux URL with ranged reads straight into
/// the upload's PUTs, as a relay admitted by the replica's relay budget (memory: its one copy buffer). The session URI
/// is persisted before any byte is sent; after a crash the next run resumes it and asks the server for the committed
/// offset first — so no byte is sent blindly twice. Then processing is followed until processed, failed or rejected. A new upload first takes one
/// from the project's daily videos.insert budget and every status read one quota unit (shared in Redis, reset at
/// midnight Pacific on Google's clock); a quotaExceeded answer stops the bucket until then.
/// </summary>
public sealed partial class YouTubeRecipe(
    YouTubeDataClient youtube,
    YouTubeResumableUpload uploads,
    ConnectionTokens tokens,
    IHttpClientFactory httpClients,
    PlatformBudgets budgets,
    PlatformClock clock,
    MediaPreflight preflight,
    IOptions<UploaderOptions> options,
    ILogger<YouTubeRecipe> logger) : IPublishRecipe
{
    public const string MediaClient = Orbyt.Core.Media.MediaExtensions.HttpClientName;
    private const string SessionUri = "upload_session_uri";
    private const string VideoId = "video_id";

    public string Platform => PlatformNames.YouTube;

    public async Task<StepOutcome> RunAsync(JobContext ctx, CancellationToken ct)
    {
        if (ctx.Get(VideoId) is { } videoId)
            return await FollowProcessingAsync(ctx, videoId, ct);

        ctx.Job.TransferMethod = "push";
        RangedHttpStream source;
        try
        {
            source = await RangedHttpStream.OpenAsync(httpClients.CreateClient(MediaClient), new Uri(ctx.MediaUrl), ct);
        }
        catch (MediaNotReadyException)
        {
            return await preflight.WaitForMediaAsync(ctx, ct);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return MediaRefused(ex);
        }
        catch (HttpRequestException ex)
        {
            return new StepOutcome.Retry(JobError.From(ErrorCatalog.MediaFetchFailed, new PlatformErrorDetail(ex.StatusCode is { } s ? ((int)s).ToString() : null, null, "The media URL could not be read.", null)));
        }

        await using var _ = source;
        ctx.Job.BytesTotal = source.Length;
        var token = ctx.Token.AccessToken;
        Uri session;
        long from = 0;
        var saved = ctx.Get(SessionUri);
        if (saved is not null)
        {
            LogResuming(logger, ctx.Job.Id);
            session = new Uri(saved);
        }
        else
        {
            if (await budgets.TryAcquireAsync(budgets.YouTubeUploadScope()) is { } wait)
                return QuotaWait(wait, "Orbyt's daily YouTube upload budget (Orbyt:RateLimits:YouTubeDailyUploads) is spent until midnight Pacific.");
            try
            {
                session = await uploads.StartAsync(token, BuildVideo(ctx), source.Length, "video/mp4",
                    ctx.Option("notify_subscribers") is { ValueKind: System.Text.Json.JsonValueKind.True }, ct);
            }
            catch (YouTubeApiException e)
            {
                return await ClassifyAsync(ctx, e.Status, e.Reason, e.Message, PlatformBudgets.YouTubeUploads, ct);
            }
            await ctx.SetAsync(SessionUri, session.ToString(), ct, JobStages.Uploading);
        }

        // The bytes: a relay, admitted by the replica's relay budget (the light slot is given back meanwhile).
        using (var relay = await ctx.Slot.EnterRelayAsync(ct))
        {
            if (relay is null)
                return new StepOutcome.Wait(options.Value.RelayRetryDelay, JobStages.Uploading);
            YouTubeVideo video;
            try
            {
                if (saved is not null)
                {
                    // Never re-send blindly: ask the session what it has first.
                    var state = await uploads.QueryAsync(session, token, source.Length, ct);
                    from = state.Committed;
                    video = state.Video ?? await uploads.SendAsync(session, token, source, from, relay.Buffer, (sent, t) => ctx.ReportProgressAsync(sent, source.Length, t), ct);
                }
                else
                {
                    video = await uploads.SendAsync(session, token, source, from, relay.Buffer, (sent, t) => ctx.ReportProgressAsync(sent, source.Length, t), ct);
                }
            }
            catch (YouTubeApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                // The session expired: start a new one next time.
                await ctx.SetAsync(SessionUri, null, ct);
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable), TimeSpan.Zero);
            }
            catch (YouTubeApiException e)
            {
                return await ClassifyAsync(ctx, e.Status, e.Reason, e.Message, PlatformBudgets.YouTubeUploads, ct);
            }
            catch (MediaNotReadyException)
            {
                return await preflight.WaitForMediaAsync(ctx, ct);
            }
            catch (HttpRequestException refused) when (refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                // A signed URL that expired during a long upload: the session is kept; a retry with a fresh media_url resumes it.
                return MediaRefused(refused);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !ct.IsCancellationRequested)
            {
                LogUploadInterrupted(logger, ctx.Job.Id, ex.GetType().Name);
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, new PlatformErrorDetail(null, null, "The upload was interrupted; it resumes from the committed offset.", null)));
            }
            if (video.Id is null)
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, new PlatformErrorDetail(null, null, "YouTube answered the upload without a video id.", null)));
            videoId = video.Id;
        }

        await ctx.ReportProgressAsync(source.Length, source.Length, ct);
        ctx.Checkpoint.Remove(SessionUri);
        await ctx.SetAsync(VideoId, videoId, ct, JobStages.PlatformProcessing);
        return await FollowProcessingAsync(ctx, videoId, ct);
    }

    /// <summary>The media host answered 401/403: a signed URL that expired (or never matched).</summary>
    public static StepOutcome MediaRefused(HttpRequestException e) =>
        StepOutcome.Fail(ErrorCatalog.MediaUrlExpired, new PlatformErrorDetail(((int)e.StatusCode!).ToString(System.Globalization.CultureInfo.InvariantCulture), null, "The media host refused the URL.", null));

    private async Task<StepOutcome> FollowProcessingAsync(JobContext ctx, string videoId, CancellationToken ct)
    {
        if (await budgets.TryAcquireAsync(budgets.YouTubeUnitScope()) is { } wait)
            return QuotaWait(wait, "Orbyt's daily YouTube quota units (Orbyt:RateLimits:YouTubeDailyUnits) are spent until midnight Pacific.");
        YouTubeProcessing processing;
        try
        {
            processing = await youtube.GetProcessingAsync(videoId, ctx.Token.AccessToken, ct);
        }
        catch (YouTubeApiException e)
        {
            return await ClassifyAsync(ctx, e.Status, e.Reason, e.Message, PlatformBudgets.YouTubeUnits, ct);
        }
        var url = $"https://www.youtube.com/watch?v={videoId}";
        return processing switch
        {
            { Found: false } => StepOutcome.Fail(ErrorCatalog.YouTubeProcessingFailed, new PlatformErrorDetail(null, "deleted", "The uploaded video no longer exists.", null)),
            // Uploaded ahead for a scheduled time: it is live once YouTube switches it at publishAt; read it back then.
            { UploadStatus: "processed" } when ScheduledAhead(ctx) is { } publishAt && publishAt > ctx.Now
                => new StepOutcome.Wait(publishAt - ctx.Now, JobStages.WaitingPublishTime),
            { UploadStatus: "processed" } => PublishedAsApplied(ctx, videoId, url, processing.PrivacyStatus),
            { UploadStatus: "failed" } => StepOutcome.Fail(ErrorCatalog.YouTubeProcessingFailed, new PlatformErrorDetail(null, processing.FailureReason, $"YouTube failed the video: {processing.FailureReason}.", null)),
            { UploadStatus: "rejected" } => StepOutcome.Fail(ErrorCatalog.YouTubeProcessingFailed, new PlatformErrorDetail(null, processing.RejectionReason, $"YouTube rejected the video: {processing.RejectionReason}.", null)),
            _ => StatusPoll.Wait(ctx, options.Value),
        };
    }

    /// <summary>
    /// Published, with the privacy YouTube applied: channel settings can make an upload private whatever was asked
    /// (and unverified API projects could, before 2026-11-02), so a difference is a warning on the job's result.
    /// </summary>
    private StepOutcome.Published PublishedAsApplied(JobContext ctx, string videoId, string url, string? applied)
    {
        var requested = RequestedPrivacy(ctx);
        if (applied is null || applied == requested)
            return new StepOutcome.Published(videoId, url, applied);
        LogPrivacyChanged(logger, ctx.Job.Id, requested, applied);
        return new StepOutcome.Published(videoId, url, applied, [new JobWarning(JobWarning.YouTubePrivacyChanged,
            $"YouTube made the video {applied} although {requested} was asked for; the channel's settings decide (check YouTube Studio).", requested, applied)]);
    }

    /// <summary>
    /// Classifies a YouTube error on Google's clock: quotaExceeded stops the whole bucket until midnight Pacific, and an
    /// access token Google refuses (authError) is refreshed before the retry.
    /// </summary>
    private async Task<StepOutcome> ClassifyAsync(JobContext ctx, HttpStatusCode status, string? reason, string message, string bucket, CancellationToken ct)
    {
        var outcome = PlatformErrorClassifier.ClassifyYouTube(status, reason, message, clock.Now(PlatformClock.YouTube));
        if (reason == "quotaExceeded" && outcome is StepOutcome.Wait wait)
            await budgets.PauseAsync(bucket, wait.Delay, reason);
        if (status == HttpStatusCode.Unauthorized && outcome is StepOutcome.Retry)
            await tokens.ExpireAccessTokenAsync(ctx.Token.CredentialId, ct);
        return outcome;
    }

    private static StepOutcome.Wait QuotaWait(TimeSpan wait, string message) =>
        new(wait, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.YouTubeQuotaExceeded, null, message));

    private static YouTubeVideo BuildVideo(JobContext ctx)
    {
        var tags = ctx.Option("tags") is { ValueKind: System.Text.Json.JsonValueKind.Array } t ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : null;
        var privacy = RequestedPrivacy(ctx);
        // Scheduled and public: uploaded now as private, and YouTube itself makes it public at publish_at (§15.4).
        var publishAt = ScheduledAhead(ctx) is { } at && at > ctx.Now ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : null;
        if (publishAt is not null)
            privacy = "private";
        var category = ctx.Option("category_id") is { ValueKind: System.Text.Json.JsonValueKind.String } c ? c.GetString() : "22";
        var forKids = ctx.Option("made_for_kids") is { ValueKind: System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False } k ? k.GetBoolean() : false;
        return new YouTubeVideo
        {
            Snippet = new YouTubeSnippet { Title = ctx.Title, Description = ctx.Caption, Tags = tags, CategoryId = category },
            Status = new YouTubeStatus { PrivacyStatus = privacy, SelfDeclaredMadeForKids = forKids, PublishAt = publishAt },
        };
    }

    /// <summary>
    /// A scheduled public video's publish_at: such a job is released ahead (Orbyt:Schedule:YouTubeUploadLead) and uploaded
    /// as private with YouTube's publishAt. Null for any other job.
    /// </summary>
    private static DateTimeOffset? ScheduledAhead(JobContext ctx) => ctx.Job.PublishAt is { } at && RequestedPrivacy(ctx) == "public" ? at : null;

    /// <summary>The privacy sent with the upload: the target's <c>privacy_status</c>, private when not given.</summary>
    private static string RequestedPrivacy(JobContext ctx) =>
        ctx.Option("privacy_status") is { ValueKind: System.Text.Json.JsonValueKind.String } p ? p.GetString()! : "private";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: YouTube applied privacy {Applied} although {Requested} was asked for.")]
    private static partial void LogPrivacyChanged(ILogger logger, Guid jobId, string requested, string applied);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: resuming the persisted YouTube upload session.")]
    private static partial void LogResuming(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the YouTube upload was interrupted ({ErrorType}).")]
    private static partial void LogUploadInterrupted(ILogger logger, Guid jobId, string errorType);
}
