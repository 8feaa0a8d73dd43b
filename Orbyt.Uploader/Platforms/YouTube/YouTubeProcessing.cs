namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>Processing state of an uploaded video (videos.list, part=status,processingDetails).</summary>
public sealed record YouTubeProcessing(bool Found, string? UploadStatus, string? FailureReason, string? RejectionReason, string? ProcessingStatus);
