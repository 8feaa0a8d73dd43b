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
    public async Task CheckAsync(string url, string mediaType, IReadOnlyCollection<string> platforms, CancellationToken ct, DateTimeOffset? runsFrom = null)
    {
        var verdict = await EvaluateAsync(url, mediaType, platforms, ct, runsFrom);
        if (verdict.UrlViolation is { } urlViolation)
            throw urlViolation.ToException();
        foreach (var platform in platforms.Distinct())
        {
            if (verdict.ByPlatform.GetValueOrDefault(platform) is { } broken)
                throw broken.ToException();
        }
    }

    /// <summary>
    /// Every check, in the order create applies them; the probe runs only when the URL itself passes.
    /// <paramref name="runsFrom"/>: when the job starts (a scheduled publication's latest publish_at; now when null).
    /// </summary>
    public async Task<MediaVerdict> EvaluateAsync(string url, string mediaType, IReadOnlyCollection<string> platforms, CancellationToken ct, DateTimeOffset? runsFrom = null)
    {
        if (await policy.CheckAsync(url, ct) is { } refused)
            return new MediaVerdict { UrlViolation = new RuleViolation(refused.Error, refused.Detail) };
        var expires = SignedMediaUrl.Expiry(url);
        if (CheckExpiry(expires, runsFrom) is { } expired)
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

    /// <summary>
    /// An image a platform fetches for an option — a YouTube custom thumbnail, an Instagram Reel's cover: the same URL
    /// policy and probe as media (its codes for a URL the policy refuses), then the image's own specification
    /// (<paramref name="spec"/>) as <paramref name="invalid"/>. A signed URL is refused: options are stored and shown as
    /// sent, so its token would not stay secret. A probe that fails or times out is left to the platform's own fetch.
    /// </summary>
    public async Task<RuleViolation?> CheckImageOptionAsync(string field, string url, ErrorDefinition invalid, Func<MediaFacts, string?> spec, CancellationToken ct)
    {
        if (await policy.CheckAsync(url, ct) is { } refused)
            return new RuleViolation(refused.Error, $"{field}: " + refused.Detail);
        if (SignedMediaUrl.Expiry(url) is not null)
            return new RuleViolation(invalid, $"{field} must not be a signed URL (options are stored and shown as sent, so its token would not stay secret).");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.CreateProbeTimeout);
        try
        {
            return await probe.ProbeAsync(new Uri(url), timeout.Token) switch
            {
                MediaProbeResult.Ready ready when spec(ready.Facts) is { } broken => new RuleViolation(invalid, broken),
                MediaProbeResult.Refused refusedByHost => new RuleViolation(invalid, $"{field}: the host refused the URL (HTTP {refusedByHost.Status})."),
                MediaProbeResult.NotReady => new RuleViolation(invalid, $"{field} answers 404."),
                _ => null,
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Throws when a signed URL will not last <see cref="MediaOptions.MinSignedUrlLifetime"/> past <paramref name="runsFrom"/>.</summary>
    public void CheckLasts(string url, DateTimeOffset runsFrom)
    {
        if (CheckExpiry(SignedMediaUrl.Expiry(url), runsFrom) is { } violation)
            throw violation.ToException();
    }

    /// <summary>A signed URL must outlive a plausible job: its start + <see cref="MediaOptions.MinSignedUrlLifetime"/>.</summary>
    private RuleViolation? CheckExpiry(DateTimeOffset? expiry, DateTimeOffset? runsFrom)
    {
        if (expiry is not { } expires)
            return null;
        var now = time.GetUtcNow();
        if (expires <= now)
            return new RuleViolation(ErrorCatalog.MediaUrlExpired, $"The media URL's token expired at {expires:O}.");
        var start = runsFrom is { } at && at > now ? at : now;
        if (expires < start + options.Value.MinSignedUrlLifetime)
            return new RuleViolation(ErrorCatalog.MediaUrlExpiresTooSoon, start == now
                ? $"The media URL's token expires at {expires:O}; it must stay valid at least {options.Value.MinSignedUrlLifetime.TotalMinutes:0} minutes for the job to finish."
                : $"The media URL's token expires at {expires:O}; it must stay valid at least {options.Value.MinSignedUrlLifetime.TotalMinutes:0} minutes after the scheduled time ({start:O}).");
        return null;
    }
}
