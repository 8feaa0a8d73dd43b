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
    bool NotifySubscribers);
