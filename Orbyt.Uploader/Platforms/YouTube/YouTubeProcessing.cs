namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>
/// Processing state of an uploaded video (videos.list, part=status,processingDetails), with the privacy YouTube
/// applied, which can differ from the one asked for.
/// </summary>
public sealed record YouTubeProcessing(bool Found, string? UploadStatus, string? FailureReason, string? RejectionReason, string? ProcessingStatus, string? PrivacyStatus = null);
