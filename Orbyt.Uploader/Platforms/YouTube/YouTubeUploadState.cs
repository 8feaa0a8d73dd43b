namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>Where a resumable upload session stands: the bytes YouTube has persisted, or the video once every byte arrived.</summary>
public sealed record YouTubeUploadState(long Committed, YouTubeVideo? Video);
