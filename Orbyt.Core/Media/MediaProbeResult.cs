namespace Orbyt.Core.Media;

/// <summary>What probing a media URL found.</summary>
public abstract record MediaProbeResult
{
    /// <summary>The file is there; what it is.</summary>
    public sealed record Ready(MediaFacts Facts) : MediaProbeResult;

    /// <summary>404: a Mux rendition that is not ready yet (or never will be).</summary>
    public sealed record NotReady : MediaProbeResult;

    /// <summary>401/403: the host refuses this URL — a signed URL whose token expired or does not match.</summary>
    public sealed record Refused(int Status) : MediaProbeResult;

    /// <summary>Any other failure: unreachable, a timeout, another non-2xx status, a broken answer.</summary>
    public sealed record Failed(string Reason, int? Status = null) : MediaProbeResult;
}
