namespace Orbyt.Sandbox.State;

public sealed class YouTubeVideo
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required YouTubeVideoMetadata Metadata { get; init; }

    /// <summary>
    /// The privacy YouTube applied when the upload finished, which can differ from the one asked for (§15.1, §15.7:
    /// account settings, and before 2026-11-02 unverified API projects, make uploads private). Fixed at upload:
    /// changing the setting later does not change videos already uploaded.
    /// </summary>
    public required string PrivacyStatus { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }
    public required DateTimeOffset ProcessedAt { get; init; }
    public required string Etag { get; init; }
    public required long ByteLength { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>"failed" or "rejected" when a processing fault was scripted.</summary>
    public string? FinalStatus { get; init; }
    public string? FinalReason { get; init; }

    /// <summary>What YouTube applies to an upload that asked for <paramref name="requested"/>.</summary>
    public static string AppliedPrivacy(string requested, SandboxSettings settings) =>
        settings.YoutubeForcePrivate ? "private" : requested;
}
