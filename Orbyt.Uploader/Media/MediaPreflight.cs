using System.Globalization;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Media;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Uploader.Media;

/// <summary>
/// The check before a media URL is handed to any platform: probe it (<see cref="MediaProbe"/>), wait while it is
/// not there yet — a Mux static rendition answers 404 until its MP4 is made, which is after HLS and so after
/// <c>video.asset.ready</c> — then hold it against the target's specification. Runs once per hand-off: a recipe that
/// has started (any platform reference in the checkpoint) is not probed again, unless a platform's fetch failed
/// (<see cref="ProbeAgain"/>).
/// </summary>
public sealed partial class MediaPreflight(MediaProbe probe, IOptions<UploaderOptions> options, ILogger<MediaPreflight> logger)
{
    /// <summary>When the file was found ready and within the spec.</summary>
    public const string Probed = "media_probed_at";
    /// <summary>When the job began to wait for the file (404).</summary>
    public const string WaitingSince = JobCheckpoint.MediaWaitingSince;
    private static readonly string[] OwnKeys = [Probed, WaitingSince, PlatformFetch.Failures];

    /// <summary>Null when the recipe may go on; otherwise what the job does instead (wait, retry, fail).</summary>
    public async Task<StepOutcome?> CheckAsync(JobContext ctx, CancellationToken ct)
    {
        if (ctx.Get(Probed) is not null || ctx.Checkpoint.Any(p => !OwnKeys.Contains(p.Key)))
            return null;

        // Every item of the post (a carousel's children too) before the first hand-off.
        long? total = 0;
        foreach (var item in ctx.Content.Items)
        {
            switch (await probe.ProbeAsync(new Uri(item.Url), ct))
            {
                case MediaProbeResult.Ready { Facts: var facts }:
                    if (MediaSpecs.Check(ctx.Job.Platform, ctx.Content.Format, item.Type, facts) is { } broken)
                        return StepOutcome.Fail(broken.Error, null, broken.Detail);
                    LogReady(logger, ctx.Job.Id, facts.Format.MimeType(), facts.Length ?? -1);
                    total = facts.Length is { } length ? total + length : null;
                    break;
                case MediaProbeResult.NotReady:
                    return await WaitForMediaAsync(ctx, ct);
                case MediaProbeResult.Refused { Status: var status }:
                    return StepOutcome.Fail(ErrorCatalog.MediaUrlExpired, new PlatformErrorDetail(status.ToString(CultureInfo.InvariantCulture), null, "The media host refused the URL.", null));
                case MediaProbeResult.Failed { Reason: var reason, Status: var status }:
                    return new StepOutcome.Retry(JobError.From(ErrorCatalog.MediaFetchFailed, new PlatformErrorDetail(status?.ToString(CultureInfo.InvariantCulture), null, $"The media URL could not be read: {reason}.", null)));
                default:
                    throw new InvalidOperationException("Unknown probe result.");
            }
        }
        ctx.Job.BytesTotal = total;
        ctx.Checkpoint.Remove(WaitingSince);
        // Not saved on its own: the recipe's first save (its marker or platform reference, always before the first platform
        // call) carries it. A crash before that only means the next run probes again — one write per job fewer.
        ctx.Set(Probed, ctx.Now.ToString("O"));
        return null;
    }

    /// <summary>
    /// The file is not there (404): wait in stage <c>downloading</c>, polling, for at most
    /// <see cref="UploaderOptions.MediaReadyBudget"/> from the first 404; then fail with <c>media_not_ready</c>.
    /// </summary>
    public async Task<StepOutcome> WaitForMediaAsync(JobContext ctx, CancellationToken ct)
    {
        var since = ctx.Get(WaitingSince) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : ctx.Now;
        if (ctx.Now - since > options.Value.MediaReadyBudget)
            return StepOutcome.Fail(ErrorCatalog.MediaNotReady, null, $"The media URL still answered 404 after {options.Value.MediaReadyBudget.TotalMinutes:0} minutes.");
        await ctx.SetAsync(WaitingSince, since.ToString("O"), ct, JobStages.Downloading);
        return new StepOutcome.Wait(options.Value.PollInterval, JobStages.Downloading, JobError.From(ErrorCatalog.MediaNotReady));
    }

    /// <summary>A platform could not fetch the URL: the next hand-off probes it again first.</summary>
    public static void ProbeAgain(JobContext ctx) => ctx.Checkpoint.Remove(Probed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: media ready ({ContentType}, {Length} bytes) and within the target's specification.")]
    private static partial void LogReady(ILogger logger, Guid jobId, string contentType, long length);
}
