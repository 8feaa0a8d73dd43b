using Orbyt.Core.Media;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// What the media probe found. <c>probe</c>: <c>ready</c> (the facts below are from the file), <c>not_ready</c> (404, a
/// Mux rendition not made yet), <c>refused</c> (401/403), <c>failed</c>, <c>timed_out</c>, or <c>not_probed</c> (the URL
/// itself was refused first). Unknown facts are null.
/// </summary>
public sealed record MediaFindings(
    string Probe,
    string? MimeType,
    long? SizeBytes,
    int? Width,
    int? Height,
    double? DurationSeconds,
    string? VideoCodec,
    string? AudioCodec,
    bool? FastStart,
    DateTimeOffset? UrlExpiresAt)
{
    public static MediaFindings From(MediaVerdict? verdict)
    {
        var probe = verdict switch
        {
            null => "not_probed",
            { ProbeTimedOut: true } => "timed_out",
            { Probe: MediaProbeResult.Ready } => "ready",
            { Probe: MediaProbeResult.NotReady } => "not_ready",
            { Probe: MediaProbeResult.Refused } => "refused",
            { Probe: MediaProbeResult.Failed } => "failed",
            _ => "not_probed",
        };
        var f = verdict?.Facts;
        return new MediaFindings(probe,
            f is null ? null : f.Format != MediaFormat.Unknown ? f.Format.MimeType() : f.ContentType,
            f?.Length, f?.Width, f?.Height, f?.Duration?.TotalSeconds, f?.VideoCodec, f?.AudioCodec, f?.MovieBoxFirst, verdict?.UrlExpiresAt);
    }
}
