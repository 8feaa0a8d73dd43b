namespace Orbyt.Sandbox.State;

public sealed record YouTubeVideoMetadata(
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    string CategoryId,
    string PrivacyStatus,
    bool? SelfDeclaredMadeForKids,
    string? PublishAt,
    string? Part,
    bool NotifySubscribers)
{
    /// <summary>snippet.defaultLanguage: the language of the title and description (§15.5).</summary>
    public string? DefaultLanguage { get; init; }

    /// <summary>snippet.defaultAudioLanguage: the language spoken in the default audio track (§15.5).</summary>
    public string? DefaultAudioLanguage { get; init; }

    /// <summary>status.containsSyntheticMedia: the altered or synthetic media disclosure (§15.5, since 2024-10-30).</summary>
    public bool? ContainsSyntheticMedia { get; init; }
}
