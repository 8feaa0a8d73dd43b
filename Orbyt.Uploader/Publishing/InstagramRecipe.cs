using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Platforms.Meta;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Instagram: a container from the media URL (Meta pulls it; reversible), its status polled until FINISHED, then
/// media_publish (irreversible). Before publishing again after an unknown outcome, the container's status says
/// whether the first publish went through (PUBLISHED). Each publish first takes a place in the account's 24-hour
/// publishing limit (the platform's count from content_publishing_limit, and every replica's reservations in Redis);
/// when there is none the job waits for the window instead of spending a call on error 9/2207042.
/// </summary>
public sealed class InstagramRecipe(MetaPublishingClient meta, PlatformBudgets budgets, Microsoft.Extensions.Options.IOptions<UploaderOptions> options) : IPublishRecipe
{
    private const string ContainerId = "container_id";
    private const string MediaId = "media_id";

    public string Platform => PlatformNames.Instagram;

    public async Task<StepOutcome> RunAsync(JobContext ctx, CancellationToken ct)
    {
        var igUserId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        if (ctx.Get(MediaId) is { } published)
            return new StepOutcome.Published(published, await meta.GetInstagramPermalinkAsync(published, token, ct));

        var containerId = ctx.Get(ContainerId);
        if (containerId is null)
        {
            ctx.Job.TransferMethod = "platform_pull";
            var shareToFeed = ctx.Option("instagram", "share_to_feed") is { ValueKind: System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False } s ? s.GetBoolean() : (bool?)null;
            containerId = await meta.CreateInstagramContainerAsync(igUserId, token, ctx.Publication.MediaType, ctx.Publication.MediaUrl, ctx.Publication.Caption, shareToFeed, ct);
            await ctx.SetAsync(ContainerId, containerId, ct, JobStages.PlatformProcessing);
        }

        var (statusCode, status) = await meta.GetContainerStatusAsync(containerId, token, ct);
        switch (statusCode)
        {
            case "IN_PROGRESS":
                return StatusPoll.Wait(ctx, options.Value);
            case "ERROR":
                var subcode = PlatformErrorClassifier.ContainerSubcode(status);
                return StepOutcome.Fail(subcode == "2207026" ? ErrorCatalog.MediaUnsupportedFormat : ErrorCatalog.InstagramProcessingFailed,
                    new PlatformErrorDetail(null, subcode, status, null));
            case "EXPIRED":
                // A container lives 24 h; make a new one next time.
                StatusPoll.Restart(ctx);
                await ctx.SetAsync(ContainerId, null, ct);
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.InstagramContainerExpired), TimeSpan.Zero);
            case "PUBLISHED":
                // A previous run's media_publish went through but its answer was lost: do not publish twice.
                return new StepOutcome.Published(null, null);
        }

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
}
