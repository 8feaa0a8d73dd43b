namespace Orbyt.Uploader.Platforms.Meta;

/// <summary>A Page video's phases: <c>video_status</c>, the uploading phase's status and byte count, a phase error, the permalink.</summary>
public sealed record PageVideoStatus(string VideoStatus, string? UploadingStatus, long? BytesTransferred, string? Error, string? Permalink);
