using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.Meta;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Instagram: a container from the media URL (Meta pulls it; reversible), its status polled until FINISHED, then
/// media_publish (irreversible). Before publishing again after an unknown outcome, the container's status says
/// whether the first publish went through (PUBLISHED). Each publish first takes a place in the account's 24-hour
/// publishing limit (the platform's count from content_publishing_limit, and every replica's reservations in Redis);
/// when there is none the job waits for the window instead of spending a call on error 9/2207042.
/// When Meta cannot fetch the URL (9004/2207052, -2/2207003, at creation or as the container's ERROR), the URL is
/// handed over again within <see cref="UploaderOptions.PlatformFetchRetries"/>; then a Reel's bytes are pushed
/// through a resumable container (rupload, resumed from Meta's offset), and an image — which has no push path on
/// Instagram — fails with media_fetch_failed.
/// </summary>
public sealed class InstagramRecipe(
    MetaPublishingClient publishing,
    PlatformBudgets budgets,
    IHttpClientFactory httpClients,
    Microsoft.Extensions.Options.IOptions<UploaderOptions> options) : IPublishRecipe
{
    private const string ContainerId = "container_id";
    private const string MediaId = "media_id";
    /// <summary>Set while a pushed Reel's bytes are not all with Meta yet.</summary>
    private const string UploadUri = "ig_upload_uri";

    public string Platform => PlatformNames.Instagram;

    public async Task<StepOutcome> RunAsync(JobContext ctx, CancellationToken ct)
    {
        // Facebook Login publishes on graph.facebook.com, Instagram Login on graph.instagram.com: the same calls (§14.6).
        var meta = publishing.ForLogin(ctx.Token.Kind);
        var igUserId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        if (ctx.Get(MediaId) is { } published)
            return new StepOutcome.Published(published, await meta.GetInstagramPermalinkAsync(published, token, ct));

        var containerId = ctx.Get(ContainerId);
        if (containerId is null && ctx.Content.Items.Count > 1)
        {
            var (waitOrFail, parentId) = await CarouselAsync(ctx, ct);
            if (waitOrFail is not null)
                return waitOrFail;
            containerId = parentId!;
        }
        else if (containerId is not null && ctx.Get(UploadUri) is { } uploadUri)
        {
            if (await UploadAsync(ctx, containerId, uploadUri, ct) is { } failed)
                return failed;
        }
        else if (containerId is null)
        {
            if (ctx.MediaType == MediaTypes.Video && PlatformFetch.Exhausted(ctx, options.Value))
                return CanPush(ctx) ? await PushReelAsync(ctx, ct) : CannotPush();
            ctx.Job.TransferMethod = "platform_pull";
            try
            {
                containerId = await meta.CreateInstagramContainerAsync(igUserId, token, InstagramContainerFields.Single(ctx.Content, ctx.Content.Items[0], ctx.MediaUrl), ct);
            }
            catch (MetaApiException ex) when (PlatformFetch.IsFetchFailure(ex))
            {
                return await FetchFailedAsync(ctx, JobError.Describe(ex), ct);
            }
            await ctx.SetAsync(ContainerId, containerId, ct, JobStages.PlatformProcessing);
        }

        var (statusCode, status) = await meta.GetContainerStatusAsync(containerId, token, ct);
        switch (statusCode)
        {
            case "IN_PROGRESS":
                return StatusPoll.Wait(ctx, options.Value);
            case "ERROR":
                var subcode = PlatformErrorClassifier.ContainerSubcode(status);
                if (PlatformFetch.IsFetchFailureSubcode(subcode) && ctx.Job.TransferMethod != "push" && ctx.Content.Items.Count == 1)
                {
                    // Meta accepted the URL, then could not download it: a new container next time.
                    ctx.Checkpoint.Remove(ContainerId);
                    return await FetchFailedAsync(ctx, new PlatformErrorDetail(null, subcode, status, null), ct);
                }
                // A pushed Reel's thumb_offset beyond its end is known to Meta only once the bytes are in (§13.4).
                return StepOutcome.Fail(subcode switch
                {
                    "2207026" => ErrorCatalog.MediaUnsupportedFormat,
                    "2207057" => ErrorCatalog.InstagramThumbOffsetInvalid,
                    _ => ErrorCatalog.InstagramProcessingFailed,
                }, new PlatformErrorDetail(null, subcode, status, null));
            case "EXPIRED":
                // A container lives 24 h; make a new one next time.
                StatusPoll.Restart(ctx);
                await ctx.SetAsync(ContainerId, null, ct);
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.InstagramContainerExpired), TimeSpan.Zero);
            case "PUBLISHED":
                // A previous run's media_publish went through but its answer was lost: do not publish twice.
                return new StepOutcome.Published(null, null);
        }

        // Scheduled: the container was made ahead (Orbyt:Schedule:InstagramContainerLead, well inside its 24 h life);
        // media_publish waits for publish_at.
        if (ctx.Job.PublishAt is { } publishAt && publishAt > ctx.Now)
            return new StepOutcome.Wait(publishAt - ctx.Now, JobStages.WaitingPublishTime);

        var (usage, total, window) = await meta.GetContentPublishingLimitAsync(igUserId, token, ct);
        var jobKey = ctx.Job.Id.ToString();
        if (await budgets.ReserveInstagramPublishAsync(igUserId, jobKey, usage, total, window) is { } wait)
        {
            // The window's end is known only for posts made here; look again at least every MaxWait.
            var delay = wait < budgets.Options.MaxWait ? wait : budgets.Options.MaxWait;
            return new StepOutcome.Wait(delay, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.InstagramPublishingLimitReached,
                new PlatformErrorDetail(null, null, $"{usage} of {total} posts in the last {window.TotalHours:0.#} hours.", null)));
        }

        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        string mediaId;
        try
        {
            mediaId = await meta.PublishInstagramContainerAsync(igUserId, token, containerId, ct);
        }
        catch (Exception e) when (e is MetaApiException or PlatformBudgetExhaustedException)
        {
            // Certainly not published: give the place in the window back.
            await budgets.ReleaseInstagramPublishAsync(igUserId, jobKey);
            ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
            await ctx.SaveAsync(ct);
            throw;
        }
        await ctx.SetAsync(MediaId, mediaId, ct);
        return new StepOutcome.Published(mediaId, await meta.GetInstagramPermalinkAsync(mediaId, token, ct));
    }

    /// <summary>
    /// A carousel's children (reference §13.2): one container per item, each id saved as soon as Meta gives it, so a
    /// later run creates only the ones still missing; then their status, and once every child is FINISHED the parent
    /// (<c>media_type=CAROUSEL</c>), whose id is saved before it is returned. Containers are reversible (never seen until
    /// published), so a child created but not saved before a crash is only an orphan that expires. Returns what to do
    /// instead (wait, fail) or the parent's container id.
    /// </summary>
    private async Task<(StepOutcome? Instead, string? ParentId)> CarouselAsync(JobContext ctx, CancellationToken ct)
    {
        // The children and the parent on the host of the connection's login, like every other call of the recipe.
        var meta = publishing.ForLogin(ctx.Token.Kind);
        var igUserId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        var children = JobCheckpoint.Children(ctx.Checkpoint);
        ctx.Job.TransferMethod = "platform_pull";
        while (children.Count < ctx.Content.Items.Count)
        {
            string child;
            try
            {
                child = await meta.CreateInstagramContainerAsync(igUserId, token, InstagramContainerFields.CarouselChild(ctx.Content.Items[children.Count]), ct);
            }
            catch (MetaApiException ex) when (PlatformFetch.IsFetchFailure(ex))
            {
                // No push path for carousel children here: hand the URLs over again while the budget lasts, then fail.
                return (await PlatformFetch.WaitOrGiveUpAsync(ctx, options.Value, JobError.Describe(ex), ct)
                    ?? StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, JobError.Describe(ex), $"Instagram could not fetch item {children.Count + 1} of the carousel."), null);
            }
            children.Add(child);
            JobCheckpoint.SetChildren(ctx.Checkpoint, children);
            await ctx.SaveAsync(ct, JobStages.PlatformProcessing);
        }

        for (var i = 0; i < children.Count; i++)
        {
            var (code, status) = await meta.GetContainerStatusAsync(children[i], token, ct);
            switch (code)
            {
                case "IN_PROGRESS":
                    return (StatusPoll.Wait(ctx, options.Value), null);
                case "ERROR":
                    var subcode = PlatformErrorClassifier.ContainerSubcode(status);
                    return (StepOutcome.Fail(subcode == "2207026" ? ErrorCatalog.MediaUnsupportedFormat : ErrorCatalog.InstagramProcessingFailed,
                        new PlatformErrorDetail(null, subcode, status, null), $"Item {i + 1} of the carousel failed processing."), null);
                case "EXPIRED":
                    // Children live 24 h like any container: make them all again.
                    StatusPoll.Restart(ctx);
                    JobCheckpoint.SetChildren(ctx.Checkpoint, []);
                    await ctx.SaveAsync(ct);
                    return (new StepOutcome.Retry(JobError.From(ErrorCatalog.InstagramContainerExpired), TimeSpan.Zero), null);
            }
        }

        var parent = await meta.CreateInstagramContainerAsync(igUserId, token, InstagramContainerFields.CarouselParent(ctx.Content, children), ct);
        StatusPoll.Restart(ctx);
        await ctx.SetAsync(ContainerId, parent, ct, JobStages.PlatformProcessing);
        return (null, parent);
    }

    /// <summary>Meta could not fetch the URL: hand it over again while the budget lasts, then push a Reel or fail an image.</summary>
    private async Task<StepOutcome> FetchFailedAsync(JobContext ctx, PlatformErrorDetail? detail, CancellationToken ct)
    {
        if (await PlatformFetch.WaitOrGiveUpAsync(ctx, options.Value, detail, ct) is { } wait)
            return wait;
        if (ctx.MediaType != MediaTypes.Video)
            return StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, detail, "Instagram could not fetch the image, and Instagram takes images only by URL.");
        return CanPush(ctx) ? await PushReelAsync(ctx, ct) : CannotPush(detail);
    }

    /// <summary>Local-file (resumable) upload exists only with Facebook Login; graph.instagram.com takes videos by URL only (§14.6).</summary>
    private static bool CanPush(JobContext ctx) => ctx.Token.Kind != CredentialKinds.InstagramUser;

    private static StepOutcome CannotPush(PlatformErrorDetail? detail = null) => StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, detail,
        "Instagram could not fetch the video, and Instagram Login takes videos only by URL (no upload path; connect with login=facebook to have Orbyt push the bytes).");

    /// <summary>A resumable video container — a Reel or a video story — (id and upload URI saved before any byte), then the bytes.</summary>
    private async Task<StepOutcome> PushReelAsync(JobContext ctx, CancellationToken ct)
    {
        ctx.Job.TransferMethod = "push";
        var (containerId, uploadUri) = await publishing.CreateInstagramResumableContainerAsync(ctx.Connection.AccountId, ctx.Token.AccessToken,
            InstagramContainerFields.Single(ctx.Content, ctx.Content.Items[0], url: null), ct);
        ctx.Checkpoint[UploadUri] = uploadUri;
        await ctx.SetAsync(ContainerId, containerId, ct, JobStages.Uploading);
        return await UploadAsync(ctx, containerId, uploadUri, ct) ?? new StepOutcome.Wait(options.Value.PollInterval, JobStages.PlatformProcessing);
    }

    /// <summary>Streams the file from Meta's committed offset to the end (ranged reads: memory ≈ one buffer). Null once Meta has it all.</summary>
    private async Task<StepOutcome?> UploadAsync(JobContext ctx, string containerId, string uploadUri, CancellationToken ct)
    {
        RangedHttpStream source;
        try
        {
            source = await RangedHttpStream.OpenAsync(httpClients.CreateClient(YouTubeRecipe.MediaClient), new Uri(ctx.MediaUrl), ct);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.Unauthorized)
        {
            return YouTubeRecipe.MediaRefused(ex);
        }
        await using var _ = source;
        var offset = await publishing.GetInstagramUploadedBytesAsync(containerId, ctx.Token.AccessToken, ct);
        ctx.Job.BytesTotal = source.Length;
        if (offset < source.Length)
        {
            // The bytes: a relay, admitted by the replica's relay budget (the light slot is given back meanwhile).
            using var relay = await ctx.Slot.EnterRelayAsync(ct);
            if (relay is null)
                return new StepOutcome.Wait(options.Value.RelayRetryDelay, JobStages.Uploading);
            source.Position = offset;
            await publishing.UploadInstagramBytesAsync(uploadUri, ctx.Token.AccessToken, source, offset, source.Length, relay.Buffer, ct);
        }
        await ctx.ReportProgressAsync(source.Length, source.Length, ct);
        await ctx.SetAsync(UploadUri, null, ct, JobStages.PlatformProcessing);
        return null;
    }
}
