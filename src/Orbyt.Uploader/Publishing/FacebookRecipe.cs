using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Facebook Page: a photo by URL, or a video by file_url (Meta pulls it), followed through processing.
/// The post call is irreversible: a run that finds it started without an answer does not post again.
/// </summary>
public sealed class FacebookRecipe(MetaPublishingClient meta, Microsoft.Extensions.Options.IOptions<UploaderOptions> options) : IPublishRecipe
{
    private const string VideoId = "video_id";

    public string Platform => Platforms.Facebook;

    public async Task<StepOutcome> RunAsync(JobContext ctx, CancellationToken ct)
    {
        var pageId = ctx.Connection.AccountId;
        var token = ctx.Token.AccessToken;
        if (ctx.Get(VideoId) is { } videoId)
            return await FollowVideoAsync(ctx, videoId, ct);
        if (ctx.Get(JobCheckpoint.PublishStarted) is not null)
            return StepOutcome.Fail(ErrorCatalog.PublishOutcomeUnknown);

        ctx.Job.TransferMethod = "platform_pull";
        await ctx.SetAsync(JobCheckpoint.PublishStarted, ctx.Now.ToString("O"), ct, JobStages.Publishing);
        try
        {
            if (ctx.Publication.MediaType == MediaTypes.Image)
            {
                var (id, postId) = await meta.PublishPagePhotoAsync(pageId, token, ctx.Publication.MediaUrl, ctx.Publication.Caption, ct);
                var post = postId ?? id;
                return new StepOutcome.Published(post, $"https://www.facebook.com/{post}");
            }
            var created = await meta.PublishPageVideoFromUrlAsync(pageId, token, ctx.Publication.MediaUrl, ctx.Publication.Title, ctx.Publication.Caption, ct);
            ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
            await ctx.SetAsync(VideoId, created, ct, JobStages.PlatformProcessing);
            return await FollowVideoAsync(ctx, created, ct);
        }
        catch (Exception e) when (e is MetaApiException or PlatformBudgetExhaustedException)
        {
            // Meta answered with an error, or the call was never sent: nothing was posted, so a later attempt may post.
            ctx.Checkpoint.Remove(JobCheckpoint.PublishStarted);
            await ctx.SaveAsync(ct);
            throw;
        }
    }

    private async Task<StepOutcome> FollowVideoAsync(JobContext ctx, string videoId, CancellationToken ct)
    {
        var (status, error, permalink) = await meta.GetVideoStatusAsync(videoId, ctx.Token.AccessToken, ct);
        return status switch
        {
            "ready" => new StepOutcome.Published(videoId, Absolute(permalink) ?? $"https://www.facebook.com/{ctx.Connection.AccountId}/videos/{videoId}"),
            "error" or "upload_failed" => StepOutcome.Fail(ErrorCatalog.FacebookProcessingFailed, new PlatformErrorDetail(null, null, error, null)),
            "expired" => StepOutcome.Fail(ErrorCatalog.FacebookProcessingFailed, new PlatformErrorDetail(null, null, "The video expired before processing finished.", null)),
            _ => new StepOutcome.Wait(options.Value.PollInterval, JobStages.PlatformProcessing),
        };
    }

    private static string? Absolute(string? permalink) =>
        permalink is null ? null : permalink.StartsWith("http", StringComparison.Ordinal) ? permalink : "https://www.facebook.com" + permalink;
}
