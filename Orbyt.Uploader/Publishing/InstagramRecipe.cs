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
/// through a resumable container (rupload, resumed from Meta's offset) — a carousel's video child too, as a resumable
/// child container — and an image — which has no push path on Instagram — fails with media_fetch_failed.
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
    /// <summary>Set while the bytes of a pushed carousel video child (the last of <c>children</c>) are not all with Meta yet.</summary>
    private const string ChildUploadUri = "ig_child_upload_uri";
    /// <summary>The ids of the carousel children whose bytes were pushed.</summary>
    private const string PushedChildren = "ig_pushed_children";

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
            if (await UploadAsync(ctx, containerId, uploadUri, ctx.MediaUrl, UploadUri, ct) is { } failed)
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
    /// published), so a child created but not saved before a crash is only an orphan that expires. When Meta cannot
    /// fetch an item's URL (at creation, or as the child's ERROR) the URLs are handed over again while the budget lasts;
    /// then a video child is pushed (§13.7: a resumable <c>VIDEO</c> carousel item, Facebook Login only) — its id and
    /// upload URI saved together before any byte goes, so a run after a crash resumes the same child from the offset
    /// Meta reports instead of making another — and an image child fails (Instagram takes images only by URL).
    /// Returns what to do instead (wait, fail) or the parent's container id.
    /// </summary>
    private async Task<(StepOutcome? Instead, string? ParentId)> CarouselAsync(JobContext ctx, CancellationToken ct)
    {
        // The children and the parent on the host of the connection's login, like every other call of the recipe.
        var meta = publishing.ForLogin(ctx.Token.Kind);
        var igUserId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        var children = JobCheckpoint.Children(ctx.Checkpoint);
        var items = ctx.Content.Items;
        // "push" once any child's bytes were pushed (kept across runs); "platform_pull" while Meta fetched them all.
        ctx.Job.TransferMethod ??= "platform_pull";
        // A pushed video child whose bytes were not all sent (a crash, a cut connection): the same child, resumed from Meta's offset.
        if (ctx.Get(ChildUploadUri) is { } pending && children.Count > 0
            && await UploadAsync(ctx, children[^1], pending, items[children.Count - 1].Url, ChildUploadUri, ct) is { } unfinished)
            return (unfinished, null);
        while (children.Count < items.Count)
        {
            var item = items[children.Count];
            if (item.Type == MediaTypes.Video && PlatformFetch.Exhausted(ctx, options.Value) && CanPush(ctx))
            {
                // Meta could not fetch the URLs: this video child's bytes are pushed. Its id and upload URI are saved in
                // one write before any byte; a crash before that write leaves only an unseen container that expires.
                ctx.Job.TransferMethod = "push";
                var (pushed, uri) = await publishing.CreateInstagramResumableContainerAsync(igUserId, token, InstagramContainerFields.CarouselChild(item, pushed: true), ct);
                children.Add(pushed);
                JobCheckpoint.SetChildren(ctx.Checkpoint, children);
                ctx.Checkpoint[PushedChildren] = new System.Text.Json.Nodes.JsonArray([.. Pushed(ctx).Append(pushed).Select(id => (System.Text.Json.Nodes.JsonNode?)id)]);
                ctx.Checkpoint[ChildUploadUri] = uri;
                await ctx.SaveAsync(ct, JobStages.Uploading);
                if (await UploadAsync(ctx, pushed, uri, item.Url, ChildUploadUri, ct) is { } notYet)
                    return (notYet, null);
                continue;
            }
            string child;
            try
            {
                child = await meta.CreateInstagramContainerAsync(igUserId, token, InstagramContainerFields.CarouselChild(item), ct);
            }
            catch (MetaApiException ex) when (PlatformFetch.IsFetchFailure(ex))
            {
                // Hand the URLs over again while the budget lasts; then a video child is pushed (next turn), an image fails.
                if (await ChildFetchFailedAsync(ctx, children.Count, JobError.Describe(ex), ct) is { } instead)
                    return (instead, null);
                continue;
            }
            children.Add(child);
            JobCheckpoint.SetChildren(ctx.Checkpoint, children);
            await ctx.SaveAsync(ct, JobStages.PlatformProcessing);
        }

        var pushedIds = Pushed(ctx);
        for (var i = 0; i < children.Count; i++)
        {
            var (code, status) = await meta.GetContainerStatusAsync(children[i], token, ct);
            switch (code)
            {
                case "IN_PROGRESS":
                    return (StatusPoll.Wait(ctx, options.Value), null);
                case "ERROR":
                    var subcode = PlatformErrorClassifier.ContainerSubcode(status);
                    if (PlatformFetch.IsFetchFailureSubcode(subcode) && !pushedIds.Contains(children[i]))
                    {
                        // Meta took the URL, then could not download it: this child and the ones after it are made again
                        // (containers are reversible; the dropped ones expire unseen) — by URL while the hand-over budget
                        // lasts, then a video is pushed and an image fails. A pushed child is never made again for this.
                        JobCheckpoint.SetChildren(ctx.Checkpoint, children.Take(i).ToList());
                        StatusPoll.Restart(ctx);
                        return (await ChildFetchFailedAsync(ctx, i, new PlatformErrorDetail(null, subcode, status, null), ct)
                            ?? new StepOutcome.Wait(TimeSpan.Zero, JobStages.Uploading), null);
                    }
                    return (StepOutcome.Fail(subcode == "2207026" ? ErrorCatalog.MediaUnsupportedFormat : ErrorCatalog.InstagramProcessingFailed,
                        new PlatformErrorDetail(null, subcode, status, null), $"Item {i + 1} of the carousel failed processing."), null);
                case "EXPIRED":
                    // Children live 24 h like any container: make them all again.
                    StatusPoll.Restart(ctx);
                    JobCheckpoint.SetChildren(ctx.Checkpoint, []);
                    ctx.Checkpoint.Remove(PushedChildren);
                    await ctx.SaveAsync(ct);
                    return (new StepOutcome.Retry(JobError.From(ErrorCatalog.InstagramContainerExpired), TimeSpan.Zero), null);
            }
        }

        var parent = await meta.CreateInstagramContainerAsync(igUserId, token, InstagramContainerFields.CarouselParent(ctx.Content, children), ct);
        StatusPoll.Restart(ctx);
        await ctx.SetAsync(ContainerId, parent, ct, JobStages.PlatformProcessing);
        return (null, parent);
    }

    /// <summary>
    /// Meta could not fetch carousel item <paramref name="index"/>: the wait before handing the URLs over again while the
    /// budget lasts; once it is spent, null for a video that can be pushed (the caller goes on and pushes it), else the
    /// failure — an image, or a video of an Instagram Login account (no upload path there).
    /// </summary>
    private async Task<StepOutcome?> ChildFetchFailedAsync(JobContext ctx, int index, PlatformErrorDetail? detail, CancellationToken ct)
    {
        if (await PlatformFetch.WaitOrGiveUpAsync(ctx, options.Value, detail, ct) is { } wait)
            return wait;
        var item = ctx.Content.Items[index];
        if (item.Type == MediaTypes.Video)
            return CanPush(ctx) ? null : CannotPush(detail, $"item {index + 1} of the carousel");
        return StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, detail,
            $"Instagram could not fetch item {index + 1} of the carousel, an image, and Instagram takes images only by URL.");
    }

    /// <summary>The carousel children whose bytes were pushed (never handed over again for a fetch failure).</summary>
    private static List<string> Pushed(JobContext ctx) =>
        ctx.Checkpoint[PushedChildren] is System.Text.Json.Nodes.JsonArray ids ? ids.Select(i => i!.GetValue<string>()).ToList() : [];

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

    private static StepOutcome CannotPush(PlatformErrorDetail? detail = null, string what = "the video") => StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, detail,
        $"Instagram could not fetch {what}, and Instagram Login takes videos only by URL (no upload path; connect with login=facebook to have Orbyt push the bytes).");

    /// <summary>A resumable video container — a Reel or a video story — (id and upload URI saved before any byte), then the bytes.</summary>
    private async Task<StepOutcome> PushReelAsync(JobContext ctx, CancellationToken ct)
    {
        ctx.Job.TransferMethod = "push";
        var (containerId, uploadUri) = await publishing.CreateInstagramResumableContainerAsync(ctx.Connection.AccountId, ctx.Token.AccessToken,
            InstagramContainerFields.Single(ctx.Content, ctx.Content.Items[0], url: null), ct);
        ctx.Checkpoint[UploadUri] = uploadUri;
        await ctx.SetAsync(ContainerId, containerId, ct, JobStages.Uploading);
        return await UploadAsync(ctx, containerId, uploadUri, ctx.MediaUrl, UploadUri, ct) ?? new StepOutcome.Wait(options.Value.PollInterval, JobStages.PlatformProcessing);
    }

    /// <summary>
    /// Streams <paramref name="mediaUrl"/> from Meta's committed offset to the end (ranged reads: memory ≈ one buffer),
    /// then forgets the pending upload (<paramref name="pendingKey"/>). Null once Meta has it all.
    /// </summary>
    private async Task<StepOutcome?> UploadAsync(JobContext ctx, string containerId, string uploadUri, string mediaUrl, string pendingKey, CancellationToken ct)
    {
        RangedHttpStream source;
        try
        {
            source = await RangedHttpStream.OpenAsync(httpClients.CreateClient(YouTubeRecipe.MediaClient), new Uri(mediaUrl), ct);
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
            // Progress as the bytes go (each write also renews the job's lease, so a long push keeps its job).
            await publishing.UploadInstagramBytesAsync(uploadUri, ctx.Token.AccessToken, source, offset, source.Length, relay.Buffer, ct,
                (sent, c) => ctx.ReportProgressAsync(offset + sent, source.Length, c));
        }
        await ctx.ReportProgressAsync(source.Length, source.Length, ct);
        await ctx.SetAsync(pendingKey, null, ct, JobStages.PlatformProcessing);
        return null;
    }
}
