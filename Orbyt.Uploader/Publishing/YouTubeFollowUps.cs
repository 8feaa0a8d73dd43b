using System.Globalization;
using System.Net;
using Orbyt.Core.Credentials;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.YouTube;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// The steps after a YouTube video is uploaded and processed, each its own checkpointed step (reference §15.2, §15.3):
/// the custom thumbnail (<c>youtube.thumbnail_url</c>, fetched through the media client, then thumbnails.set as a
/// resumable upload whose session URI is saved before the bytes) and the playlist entry (<c>youtube.playlist_id</c>,
/// playlistItems.insert behind a marker; after a lost answer the playlist is asked for the video first, so it is never
/// added twice). Neither can undo or repeat the upload: a step that fails for good is saved as a failed
/// <see cref="JobFollowUp"/>, the video is reported published, and the job's result carries a warning. A transient
/// failure makes the job wait a little (no job attempt spent) a few times before it counts as failed.
/// </summary>
public sealed partial class YouTubeFollowUps(
    YouTubeDataClient youtube,
    YouTubeResumableUpload uploads,
    ConnectionTokens tokens,
    IHttpClientFactory httpClients,
    PlatformBudgets budgets,
    ILogger<YouTubeFollowUps> logger)
{
    private const int MaxTransientTries = 4;
    private const string ThumbnailSession = "thumbnail_session_uri";
    private const string ThumbnailTries = "thumbnail_tries";
    private const string PlaylistInsertStarted = "playlist_insert_started_at";
    private const string PlaylistTries = "playlist_tries";

    /// <summary>Sets the custom thumbnail when one was asked for and not yet settled; null when there is nothing (more) to do.</summary>
    public async Task<StepOutcome?> ThumbnailAsync(JobContext ctx, string videoId, CancellationToken ct)
    {
        if (ctx.Option("thumbnail_url") is not { ValueKind: System.Text.Json.JsonValueKind.String } option || JobFollowUp.Read(ctx.Checkpoint, JobCheckpoint.Thumbnail) is not null)
            return null;

        byte[] image;
        MediaFormat format;
        try
        {
            await using var download = await PhotoDownload.OpenAsync(httpClients.CreateClient(YouTubeRecipe.MediaClient), new Uri(option.GetString()!), MediaSpecs.YouTubeThumbnailMaxBytes, ct);
            if (download.Length > MediaSpecs.YouTubeThumbnailMaxBytes)
                return await SettleAsync(ctx, JobCheckpoint.Thumbnail, JobFollowUp.Fail(JobError.From(ErrorCatalog.ThumbnailInvalid, null,
                    $"The thumbnail has {download.Length} bytes; at most {MediaSpecs.YouTubeThumbnailMaxBytes} are sent.")), ct);
            using var memory = new MemoryStream();
            await download.Content.CopyToAsync(memory, ct);
            (image, format) = (memory.ToArray(), download.Format);
        }
        catch (HttpRequestException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return await SettleAsync(ctx, JobCheckpoint.Thumbnail, JobFollowUp.Fail(JobError.From(ErrorCatalog.MediaUrlExpired, null, "The thumbnail's host refused its URL.")), ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or MediaNotReadyException && !ct.IsCancellationRequested)
        {
            return await TransientAsync(ctx, JobCheckpoint.Thumbnail, ThumbnailTries, JobError.From(ErrorCatalog.MediaFetchFailed, null, "The thumbnail URL could not be read."), ct);
        }

        var size = MediaSniffer.ImageSize(format, image);
        if (MediaSpecs.CheckYouTubeThumbnail(new MediaFacts { Format = format, Length = image.Length, Width = size?.Width, Height = size?.Height }) is { } invalid)
            return await SettleAsync(ctx, JobCheckpoint.Thumbnail, JobFollowUp.Fail(JobError.From(ErrorCatalog.ThumbnailInvalid, null, invalid)), ct);

        var token = ctx.Token.AccessToken;
        try
        {
            var done = false;
            if (ctx.Get(ThumbnailSession) is { } saved)
            {
                // Resume: ask the session what it holds before sending anything again.
                var session = new Uri(saved);
                var offset = await uploads.QueryThumbnailAsync(session, token, image.Length, ct);
                done = offset is null || await uploads.SendThumbnailAsync(session, token, image, offset.Value, ct);
            }
            else
            {
                if (await budgets.TryAcquireAsync(budgets.YouTubeUnitScope(50)) is not null)
                    return await SettleAsync(ctx, JobCheckpoint.Thumbnail, JobFollowUp.Fail(QuotaSpent()), ct);
                var session = await uploads.StartThumbnailAsync(token, videoId, image.Length, format.MimeType(), ct);
                await ctx.SetAsync(ThumbnailSession, session.ToString(), ct, Core.Data.JobStages.Publishing);
                done = await uploads.SendThumbnailAsync(session, token, image, 0, ct);
            }
            if (!done)
                return await TransientAsync(ctx, JobCheckpoint.Thumbnail, ThumbnailTries, JobError.From(ErrorCatalog.PlatformUnavailable, null, "YouTube kept only part of the thumbnail."), ct);
        }
        catch (YouTubeApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.Gone && ctx.Get(ThumbnailSession) is not null)
        {
            // The session is gone: a new one next time.
            ctx.Checkpoint.Remove(ThumbnailSession);
            return await TransientAsync(ctx, JobCheckpoint.Thumbnail, ThumbnailTries, JobError.From(ErrorCatalog.PlatformUnavailable, null, "The thumbnail session expired."), ct);
        }
        catch (YouTubeApiException e)
        {
            return await ClassifyAsync(ctx, JobCheckpoint.Thumbnail, ThumbnailTries, e, ThumbnailError(e), ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return await TransientAsync(ctx, JobCheckpoint.Thumbnail, ThumbnailTries, JobError.From(ErrorCatalog.PlatformUnavailable, null, "The thumbnail upload was interrupted."), ct);
        }

        ctx.Checkpoint.Remove(ThumbnailSession);
        return await SettleAsync(ctx, JobCheckpoint.Thumbnail, JobFollowUp.Done(), ct);
    }

    /// <summary>Adds the video to the playlist when one was asked for and not yet settled; null when there is nothing (more) to do.</summary>
    public async Task<StepOutcome?> PlaylistAsync(JobContext ctx, string videoId, CancellationToken ct)
    {
        if (ctx.Option("playlist_id") is not { ValueKind: System.Text.Json.JsonValueKind.String } option || JobFollowUp.Read(ctx.Checkpoint, JobCheckpoint.Playlist) is not null)
            return null;
        var playlistId = option.GetString()!;
        var token = ctx.Token.AccessToken;
        try
        {
            if (ctx.Get(PlaylistInsertStarted) is not null)
            {
                // An insert began and its answer was lost: is the video in the playlist already?
                if (await budgets.TryAcquireAsync(budgets.YouTubeUnitScope()) is not null)
                    return await SettleAsync(ctx, JobCheckpoint.Playlist, JobFollowUp.Fail(QuotaSpent()), ct);
                if (await youtube.FindPlaylistItemAsync(playlistId, videoId, token, ct) is { } existing)
                {
                    LogPlaylistItemFound(logger, ctx.Job.Id);
                    return await SettleAsync(ctx, JobCheckpoint.Playlist, JobFollowUp.Done(existing), ct);
                }
            }
            if (await budgets.TryAcquireAsync(budgets.YouTubeUnitScope(50)) is not null)
                return await SettleAsync(ctx, JobCheckpoint.Playlist, JobFollowUp.Fail(QuotaSpent()), ct);
            await ctx.SetAsync(PlaylistInsertStarted, ctx.Now.ToString("O", CultureInfo.InvariantCulture), ct, Core.Data.JobStages.Publishing);
            var item = await youtube.AddToPlaylistAsync(playlistId, videoId, token, ct);
            return await SettleAsync(ctx, JobCheckpoint.Playlist, JobFollowUp.Done(item), ct);
        }
        catch (YouTubeApiException e)
        {
            return await ClassifyAsync(ctx, JobCheckpoint.Playlist, PlaylistTries, e, PlaylistError(e), ct);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Unknown outcome: the marker stays, so the next run asks the playlist before inserting again.
            return await TransientAsync(ctx, JobCheckpoint.Playlist, PlaylistTries, JobError.From(ErrorCatalog.PlatformUnavailable, null, "The playlist insert was interrupted."), ct);
        }
    }

    /// <summary>The warnings a published video carries for its failed follow-ups.</summary>
    public static IEnumerable<JobWarning> Warnings(JobContext ctx)
    {
        if (JobFollowUp.Read(ctx.Checkpoint, JobCheckpoint.Thumbnail) is { Status: JobFollowUp.Failed, Error: { } thumbnail })
            yield return new JobWarning(JobWarning.YouTubeThumbnailNotSet,
                $"The video is published, but its custom thumbnail was not set ({thumbnail.Code}); result.thumbnail says why.", ctx.Option("thumbnail_url").GetString() is { } url ? RedactedUrl(url) : null, null);
        if (JobFollowUp.Read(ctx.Checkpoint, JobCheckpoint.Playlist) is { Status: JobFollowUp.Failed, Error: { } playlist })
            yield return new JobWarning(JobWarning.YouTubePlaylistNotAdded,
                $"The video is published, but it was not added to the playlist ({playlist.Code}); result.playlist says why.", ctx.Option("playlist_id").GetString(), null);
    }

    /// <summary>A URL without its query (a signed URL's token is a secret).</summary>
    private static string RedactedUrl(string url) => url.Split('?', 2)[0];

    private static JobError QuotaSpent() => JobError.From(ErrorCatalog.YouTubeQuotaExceeded, null,
        "Orbyt's daily YouTube quota units (Orbyt:RateLimits:YouTubeDailyUnits) are spent; the video was published without this step.", retryable: false);

    private static ErrorDefinition ThumbnailError(YouTubeApiException e) => (e.Status, e.Reason) switch
    {
        (HttpStatusCode.Forbidden, "forbidden") => ErrorCatalog.YouTubeThumbnailNotAllowed,
        (HttpStatusCode.BadRequest, "invalidImage" or "mediaBodyRequired" or "badContent") => ErrorCatalog.ThumbnailInvalid,
        _ => ErrorCatalog.PlatformRejected,
    };

    private static ErrorDefinition PlaylistError(YouTubeApiException e) => (e.Status, e.Reason) switch
    {
        (HttpStatusCode.NotFound, "playlistNotFound") => ErrorCatalog.YouTubePlaylistNotFound,
        (HttpStatusCode.Forbidden, "insufficientPermissions") => ErrorCatalog.YouTubePlaylistScopeMissing,
        _ => ErrorCatalog.YouTubePlaylistRefused,
    };

    /// <summary>
    /// A YouTube answer to a follow-up: an expired token or a short-term limit (429, rateLimitExceeded, 5xx) is waited
    /// out a few times; quotaExceeded stops the units bucket and fails the step; any other 4xx fails it as <paramref name="definitive"/>.
    /// </summary>
    private async Task<StepOutcome?> ClassifyAsync(JobContext ctx, string key, string triesKey, YouTubeApiException e, ErrorDefinition definitive, CancellationToken ct)
    {
        var detail = JobError.Describe(e);
        if (e.Reason == "quotaExceeded")
        {
            await budgets.PauseAsync(PlatformBudgets.YouTubeUnits, TimeSpan.FromHours(1), e.Reason);
            return await SettleAsync(ctx, key, JobFollowUp.Fail(JobError.From(ErrorCatalog.YouTubeQuotaExceeded, detail, retryable: false)), ct);
        }
        if (e.Status == HttpStatusCode.Unauthorized)
        {
            await tokens.ExpireAccessTokenAsync(ctx.Token.CredentialId, ct);
            return await TransientAsync(ctx, key, triesKey, JobError.From(ErrorCatalog.PlatformUnavailable, detail), ct);
        }
        if (e.IsTransient || e.Status == HttpStatusCode.TooManyRequests)
            return await TransientAsync(ctx, key, triesKey, JobError.From(e.Status == HttpStatusCode.TooManyRequests ? ErrorCatalog.PlatformRateLimited : ErrorCatalog.PlatformUnavailable, detail), ct);
        return await SettleAsync(ctx, key, JobFollowUp.Fail(JobError.From(definitive, detail)), ct);
    }

    /// <summary>Waits (5 s, 10 s, 20 s … — no job attempt spent) while tries last; then the step fails with <paramref name="error"/>.</summary>
    private async Task<StepOutcome?> TransientAsync(JobContext ctx, string key, string triesKey, JobError error, CancellationToken ct)
    {
        var tries = int.TryParse(ctx.Get(triesKey), out var n) ? n + 1 : 1;
        if (tries >= MaxTransientTries)
            return await SettleAsync(ctx, key, JobFollowUp.Fail(error with { Retryable = false }), ct);
        await ctx.SetAsync(triesKey, tries.ToString(CultureInfo.InvariantCulture), ct, Core.Data.JobStages.Publishing);
        return new StepOutcome.Wait(TimeSpan.FromSeconds(5 << (tries - 1)), Core.Data.JobStages.Publishing, error);
    }

    /// <summary>Saves the step's outcome (and forgets its session, marker and tries); null: go on with the next step.</summary>
    private async Task<StepOutcome?> SettleAsync(JobContext ctx, string key, JobFollowUp outcome, CancellationToken ct)
    {
        if (outcome.Error is { } error)
            LogFollowUpFailed(logger, ctx.Job.Id, key, error.Code);
        outcome.Write(ctx.Checkpoint, key);
        foreach (var transient in key == JobCheckpoint.Thumbnail ? new[] { ThumbnailSession, ThumbnailTries } : [PlaylistInsertStarted, PlaylistTries])
            ctx.Checkpoint.Remove(transient);
        await ctx.SaveAsync(ct);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: the YouTube {Step} step failed ({Code}); the video stays published.")]
    private static partial void LogFollowUpFailed(ILogger logger, Guid jobId, string step, string code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: the video was already in the playlist (an earlier insert's answer was lost).")]
    private static partial void LogPlaylistItemFound(ILogger logger, Guid jobId);
}
