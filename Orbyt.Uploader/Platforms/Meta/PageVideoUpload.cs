namespace Orbyt.Uploader.Platforms.Meta;

/// <summary>A legacy resumable upload session and the window Meta expects first.</summary>
public sealed record PageVideoUpload(string SessionId, string VideoId, long StartOffset, long EndOffset);
