namespace Orbyt.Sandbox.Control;

/// <summary>A playback token for a signed asset, signed with the sandbox's own key (§16.3).</summary>
public sealed record MuxSignedUrlRequest
{
    /// <summary>exp = sandbox clock + this many seconds (the Mux SDKs default to 7 days).</summary>
    public long ExpiresInSeconds { get; init; } = 7 * 24 * 3600;
    /// <summary>v (video: MP4 and HLS), t (thumbnail), g (animated), s (storyboard).</summary>
    public string Aud { get; init; } = "v";
    /// <summary>Defaults to the asset's playback id; another value makes a token for the wrong playback id.</summary>
    public string? Sub { get; init; }
    public string Rendition { get; init; } = "highest";
}
