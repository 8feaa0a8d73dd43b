namespace Orbyt.Core.Media;

/// <summary><c>Orbyt:Media</c>: where media may be fetched from, and how it is probed.</summary>
public sealed class MediaOptions
{
    public const string Section = "Orbyt:Media";

    /// <summary>
    /// Hosts media URLs may point at (https only, public addresses only). Mux's video and image hosts by default;
    /// configured entries are added to these. An entry <c>*.example.com</c> allows exactly one more label
    /// (<c>abc.example.com</c>, not <c>example.com</c> and not <c>a.b.example.com</c>) — e.g. <c>*.supabase.co</c>
    /// for Supabase Storage.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = ["stream.mux.com", "image.mux.com"];

    /// <summary>
    /// Exact origins (scheme://host:port) accepted in Development only, over http and on loopback — the sandbox's
    /// Mux. Everything else goes through the full checks, in every environment.
    /// </summary>
    public List<string> DevelopmentOrigins { get; set; } = [];

    /// <summary>
    /// How long <c>POST /v1/publications</c> probes the media before answering. A file not ready (404) or a probe
    /// that does not finish in time is left to the Uploader, which probes again before any platform call.
    /// </summary>
    public TimeSpan CreateProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A signed media URL (a <c>token</c> JWT with <c>exp</c>) must stay valid at least this long after it is
    /// accepted: the wait for a rendition (Orbyt:Uploader:MediaReadyBudget, 30 min) plus Meta fetching late and the
    /// retries of a transfer. Mux recommends signing hand-off URLs for at least 2 hours.
    /// </summary>
    public TimeSpan MinSignedUrlLifetime { get; set; } = TimeSpan.FromHours(2);
}
