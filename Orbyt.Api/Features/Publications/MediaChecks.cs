using Microsoft.Extensions.Options;
using Orbyt.Api.Problems;
using Orbyt.Core.Errors;
using Orbyt.Core.Media;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Everything the API checks about a media URL before it accepts it — for a new publication and for a retry that
/// brings a fresh URL: the URL policy (https, allowed host, no internal address), a signed URL's expiry, and a probe
/// of the file against each target platform's specification. A file that is not there yet (404), or a probe that
/// does not finish within <see cref="MediaOptions.CreateProbeTimeout"/>, is left to the Uploader, which probes again
/// before any platform call. Violations throw <see cref="ApiProblemException"/> with their catalog code.
/// </summary>
public sealed class MediaChecks(MediaUrlPolicy policy, MediaProbe probe, IOptions<MediaOptions> options, TimeProvider time)
{
    public async Task CheckAsync(string url, string mediaType, IReadOnlyCollection<string> platforms, CancellationToken ct)
    {
        if (await policy.CheckAsync(url, ct) is { } refused)
            throw new ApiProblemException(refused.Error, refused.Detail);
        CheckExpiry(url);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.CreateProbeTimeout);
        MediaProbeResult result;
        try
        {
            result = await probe.ProbeAsync(new Uri(url), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return;
        }
        switch (result)
        {
            case MediaProbeResult.Refused refusedByHost:
                throw new ApiProblemException(ErrorCatalog.MediaUrlExpired, $"The media host refused the URL (HTTP {refusedByHost.Status}); send a freshly signed URL.");
            case MediaProbeResult.Ready ready:
                foreach (var platform in platforms.Distinct())
                {
                    if (MediaSpecs.Check(platform, mediaType, ready.Facts) is { } broken)
                        throw new ApiProblemException(broken.Error, $"{broken.Detail} ({platform})");
                }
                break;
        }
    }

    /// <summary>A signed URL must outlive a plausible job: now + <see cref="MediaOptions.MinSignedUrlLifetime"/>.</summary>
    private void CheckExpiry(string url)
    {
        if (SignedMediaUrl.Expiry(url) is not { } expires)
            return;
        var now = time.GetUtcNow();
        if (expires <= now)
            throw new ApiProblemException(ErrorCatalog.MediaUrlExpired, $"The media URL's token expired at {expires:O}.");
        if (expires < now + options.Value.MinSignedUrlLifetime)
            throw new ApiProblemException(ErrorCatalog.MediaUrlExpiresTooSoon,
                $"The media URL's token expires at {expires:O}; it must stay valid at least {options.Value.MinSignedUrlLifetime.TotalMinutes:0} minutes for the job to finish.");
    }
}
