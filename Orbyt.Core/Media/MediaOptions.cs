namespace Orbyt.Core.Media;

/// <summary><c>Orbyt:Media</c>: where media may be fetched from.</summary>
public sealed class MediaOptions
{
    public const string Section = "Orbyt:Media";

    /// <summary>Hosts media URLs may point at (https only, public addresses only).</summary>
    public List<string> AllowedHosts { get; set; } = ["stream.mux.com"];

    /// <summary>
    /// Exact origins (scheme://host:port) accepted in Development only, over http and on loopback — the sandbox's
    /// Mux. Everything else goes through the full checks, in every environment.
    /// </summary>
    public List<string> DevelopmentOrigins { get; set; } = [];
}
