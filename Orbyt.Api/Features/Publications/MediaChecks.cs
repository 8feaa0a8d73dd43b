using Microsoft.Extensions.Options;
using Orbyt.Api.Problems;
using Orbyt.Core.Errors;
using Orbyt.Core.Media;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Everything the API checks about a media URL before it accepts it — for a new publication, its dry run, and a retry
/// that brings a fresh URL: the URL policy (https, allowed host, no internal address), a signed URL's expiry, and a
/// probe of the file against each target platform's specification. A file that is not there yet (404), or a probe that
/// does not finish within <see cref="MediaOptions.CreateProbeTimeout"/>, is left to the Uploader, which probes again
/// before any platform call.
/// </summary>
public sealed class MediaChecks(MediaUrlPolicy policy, MediaProbe probe, IOptions<MediaOptions> options, TimeProvider time)
{
    public MediaOptions Options => options.Value;

    /// <summary>Throws the first violation as an <see cref="ApiProblemException"/>.</summary>
    public async Task CheckAsync(string url, string mediaType, IReadOnlyCollection<string> platforms, CancellationToken ct)
    {
        var verdict = await EvaluateAsync(url, mediaType, platforms, ct);
        if (verdict.UrlViolation is { } urlViolation)
            throw urlViolation.ToException();
        foreach (var platform in platforms.Distinct())
        {
            if (verdict.ByPlatform.GetValueOrDefault(platform) is { } broken)
                throw broken.ToException();
        }
    }

    /// <summary>Every check, in the order create applies them; the probe runs only when the URL itself passes.</summary>
    public async Task<MediaVerdict> EvaluateAsync(string url, string mediaType, IReadOnlyCollection<string> platforms, CancellationToken ct)
    {
        if (await policy.CheckAsync(url, ct) is { } refused)
            return new MediaVerdict { UrlViolation = new RuleViolation(refused.Error, refused.Detail) };
        var expires = SignedMediaUrl.Expiry(url);
        if (CheckExpiry(expires) is { } expired)
            return new MediaVerdict { UrlViolation = expired, UrlExpiresAt = expires };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.CreateProbeTimeout);
        MediaProbeResult result;
        try
        {
            result = await probe.ProbeAsync(new Uri(url), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new MediaVerdict { ProbeTimedOut = true, UrlExpiresAt = expires };
        }
        var verdict = new MediaVerdict { Probe = result, UrlExpiresAt = expires };
        switch (result)
        {
            case MediaProbeResult.Refused refusedByHost:
                return verdict with
                {
                    UrlViolation = new RuleViolation(ErrorCatalog.MediaUrlExpired, $"The media host refused the URL (HTTP {refusedByHost.Status}); send a freshly signed URL."),
                };
            case MediaProbeResult.Ready ready:
                var byPlatform = new Dictionary<string, RuleViolation>();
                foreach (var platform in platforms.Distinct())
                {
                    if (MediaSpecs.Check(platform, mediaType, ready.Facts) is { } broken)
                        byPlatform[platform] = new RuleViolation(broken.Error, $"{broken.Detail} ({platform})");
                }
                return verdict with { ByPlatform = byPlatform };
            default:
                return verdict;
        }
    }

    /// <summary>A signed URL must outlive a plausible job: now + <see cref="MediaOptions.MinSignedUrlLifetime"/>.</summary>
    private RuleViolation? CheckExpiry(DateTimeOffset? expiry)
    {
        if (expiry is not { } expires)
            return null;
        var now = time.GetUtcNow();
        if (expires <= now)
            return new RuleViolation(ErrorCatalog.MediaUrlExpired, $"The media URL's token expired at {expires:O}.");
        if (expires < now + options.Value.MinSignedUrlLifetime)
            return new RuleViolation(ErrorCatalog.MediaUrlExpiresTooSoon,
                $"The media URL's token expires at {expires:O}; it must stay valid at least {options.Value.MinSignedUrlLifetime.TotalMinutes:0} minutes for the job to finish.");
        return null;
    }
}
