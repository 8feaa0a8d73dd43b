using System.Globalization;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Media;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Meta's failures to fetch a media URL it was handed — 9004/2207052 (could not be fetched), -2/2207003 (timed out
/// downloading), 389 (Page video: unable to fetch), 324/2069019 (Page photo: missing or invalid image file) — are
/// often passing (a CDN still filling, a slow origin): the job
/// waits and hands the URL over again, probing it first, up to <see cref="UploaderOptions.PlatformFetchRetries"/>
/// times; then the recipe pushes the bytes itself where the platform takes them, or fails.
/// </summary>
public static class PlatformFetch
{
    public const string Failures = JobCheckpoint.PlatformFetchFailures;

    public static bool IsFetchFailure(MetaApiException e) => e.Code is 9004 or 389 || e.Subcode is 2207052 or 2207003;

    /// <summary>
    /// A Page photo whose <c>url</c> Meta could not read: 324 "Missing or invalid image file" (seen with subcode
    /// 2069019), or code 100 with 2069019 (docs/decisions.md, "Issue 15 — Facebook photo push"). The file's format and
    /// size were checked before the hand-off, so this is Meta's fetch, not the file.
    /// </summary>
    public static bool IsPhotoFetchFailure(MetaApiException e) => e.Code == 324 || e.Subcode == 2069019;

    public static bool IsFetchFailureSubcode(string? subcode) => subcode is "2207052" or "2207003";

    /// <summary>
    /// Counts one failure. Returns the wait before the next hand-off while the budget lasts; null when it is spent
    /// (the caller pushes the bytes or fails).
    /// </summary>
    public static async Task<StepOutcome?> WaitOrGiveUpAsync(JobContext ctx, UploaderOptions options, PlatformErrorDetail? detail, CancellationToken ct)
    {
        var failures = (ctx.Get(Failures) is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 0) + 1;
        if (failures > options.PlatformFetchRetries)
        {
            // Spent: remembered, so that a later run (after a failed push) pushes again instead of handing over again.
            await ctx.SetAsync(Failures, failures.ToString(CultureInfo.InvariantCulture), ct);
            return null;
        }
        MediaPreflight.ProbeAgain(ctx);
        await ctx.SetAsync(Failures, failures.ToString(CultureInfo.InvariantCulture), ct, JobStages.Downloading);
        return new StepOutcome.Wait(options.PlatformFetchRetryDelay, JobStages.Downloading, JobError.From(ErrorCatalog.MediaFetchFailed, detail,
            $"The platform could not fetch the media (attempt {failures} of {options.PlatformFetchRetries + 1}); handing it over again shortly."));
    }

    /// <summary>Whether the budget is spent already (a later run that must push rather than hand over again).</summary>
    public static bool Exhausted(JobContext ctx, UploaderOptions options) =>
        ctx.Get(Failures) is { } n && int.Parse(n, CultureInfo.InvariantCulture) > options.PlatformFetchRetries;
}
