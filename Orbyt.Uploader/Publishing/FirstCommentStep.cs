using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Platforms.Meta;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// The first comment, a step of its own after the post is live (Facebook §12.6, Instagram §13.6). The published post is
/// saved in the checkpoint first, so a later run resumes here and never runs the recipe — never publishes — again. The
/// comment call is irreversible too: a marker is saved before it, and a run that finds the marker without a comment id
/// (the answer was lost, or the process died) lists the post's comments and adopts the account's own comment with this
/// text before it would comment again. A comment that fails for good — or keeps failing — leaves the post published:
/// the job completes as published with <c>result.first_comment</c> failed (<c>first_comment_failed</c>) and a warning.
/// </summary>
public sealed partial class FirstCommentStep(MetaPublishingClient publishing, IOptions<UploaderOptions> options, ILogger<FirstCommentStep> logger)
{
    /// <summary>The published post, saved before the comment is made: <c>{"id", "permalink"}</c>.</summary>
    private const string PostKey = "post";
    /// <summary>Set just before the comment call; a run that finds it without an outcome probes first.</summary>
    private const string StartedKey = "first_comment_started_at";
    /// <summary>How many comment tries failed transiently.</summary>
    private const string FailuresKey = "first_comment_failures";

    /// <summary>The post an earlier run published (saved by <see cref="RunAsync"/>), or null: this run starts from the recipe.</summary>
    public static StepOutcome.Published? Resumed(JobContext ctx) =>
        ctx.Checkpoint[PostKey] is JsonObject post
            ? new StepOutcome.Published(post["id"]?.GetValue<string>(), post["permalink"]?.GetValue<string>())
            : null;

    /// <summary>Comments under <paramref name="published"/> when the target asks for it; returns the job's outcome.</summary>
    public async Task<StepOutcome> RunAsync(JobContext ctx, StepOutcome.Published published, CancellationToken ct)
    {
        if (ctx.Content.FirstComment is not { } message)
            return published;
        if (ctx.Checkpoint[FirstCommentResult.CheckpointKey] is JsonObject done)
            return Complete(published, FirstCommentResult.Read(JsonSerializer.Deserialize<JsonElement>(done.ToJsonString()))!);
        if (published.PostId is not { } postId)
        {
            // Instagram said the container was PUBLISHED after a lost media_publish answer, without the media id.
            return await FinishAsync(ctx, published, Failure(null, "The post was published, but its id was not returned (the publish answer was lost), so the comment could not be placed."), ct);
        }

        if (ctx.Checkpoint[PostKey] is null)
        {
            ctx.Checkpoint[PostKey] = new JsonObject { ["id"] = postId, ["permalink"] = published.Permalink };
            await ctx.SaveAsync(ct, JobStages.FirstComment);
        }

        var meta = publishing.ForLogin(ctx.Token.Kind);
        var instagram = ctx.Job.Platform == PlatformNames.Instagram;
        try
        {
            if (ctx.Get(StartedKey) is not null)
            {
                // The last try's outcome is unknown: the account's own comment with this text means it went through.
                var comments = await meta.ListCommentsAsync(postId, ctx.Token.AccessToken, instagram, ct);
                var mine = comments.FirstOrDefault(c => c.Text == message && c.AuthorId == ctx.Connection.AccountId);
                if (mine.Id is not null)
                {
                    LogAdopted(logger, ctx.Job.Id);
                    return await FinishAsync(ctx, published, new FirstCommentResult(FirstCommentResult.Published, mine.Id, null), ct);
                }
            }

            await ctx.SetAsync(StartedKey, ctx.Now.ToString("O"), ct, JobStages.FirstComment);
            var id = await meta.PostCommentAsync(postId, ctx.Token.AccessToken, message, ct);
            return await FinishAsync(ctx, published, new FirstCommentResult(FirstCommentResult.Published, id, null), ct);
        }
        catch (PlatformBudgetExhaustedException ex)
        {
            // Not sent: come back when the shared budget has room (not a failed try).
            return new StepOutcome.Wait(ex.Wait, JobStages.FirstComment);
        }
        catch (MetaApiException ex) when (PlatformErrorClassifier.Classify(ex) is StepOutcome.Failed)
        {
            // Refused for good (a permission taken back, a policy block, the text): the comment will not be made.
            return await FinishAsync(ctx, published, Failure(JobError.Describe(ex), null), ct);
        }
        catch (Exception ex) when (ex is MetaApiException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Transient, or the answer was lost: the marker stays, so the next try looks before it comments.
            var failures = int.TryParse(ctx.Get(FailuresKey), out var n) ? n + 1 : 1;
            if (failures >= options.Value.FirstCommentAttempts)
                return await FinishAsync(ctx, published, Failure(JobError.Describe(ex), $"The comment failed {failures} times ({ex.GetType().Name}); the post stays published."), ct);
            await ctx.SetAsync(FailuresKey, failures.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
            return new StepOutcome.Wait(JobRunner.Backoff(failures), JobStages.FirstComment, JobError.From(ErrorCatalog.PlatformUnavailable, JobError.Describe(ex)));
        }
    }

    private static FirstCommentResult Failure(PlatformErrorDetail? platform, string? message) =>
        new(FirstCommentResult.Failed, null, JobError.From(ErrorCatalog.FirstCommentFailed, platform, message));

    /// <summary>Saves the comment's outcome with the job (it is the job's result.first_comment) and completes the job as published.</summary>
    private static async Task<StepOutcome> FinishAsync(JobContext ctx, StepOutcome.Published published, FirstCommentResult result, CancellationToken ct)
    {
        ctx.Checkpoint[FirstCommentResult.CheckpointKey] = JsonSerializer.SerializeToNode(result);
        ctx.Checkpoint.Remove(StartedKey);
        await ctx.SaveAsync(ct);
        return Complete(published, result);
    }

    private static StepOutcome Complete(StepOutcome.Published published, FirstCommentResult result) =>
        result.Status == FirstCommentResult.Published ? published : published with
        {
            Warnings = [.. published.Warnings ?? [], new JobWarning(JobWarning.FirstCommentFailed,
                $"The post is published, but its first comment is not: {result.Error?.Message}", null, null)],
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: the first comment of a try whose answer was lost is on the post; it is not made again.")]
    private static partial void LogAdopted(ILogger logger, Guid jobId);
}
