using Google.Apis.Services;
using Google.Apis.Upload;
using Google.Apis.Util;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>videos.insert through Google's resumable upload protocol (relative path, so a base URL with a prefix works).</summary>
public sealed class VideoInsertUpload(IClientService service, Stream content, string contentType)
    : ResumableUpload<YouTubeVideo, YouTubeVideo>(service, "upload/youtube/v3/videos", "POST", content, contentType)
{
    [RequestParameter("part", RequestParameterType.Query)]
    public string Part { get; set; } = "snippet,status";

    [RequestParameter("notifySubscribers", RequestParameterType.Query)]
    public bool? NotifySubscribers { get; set; }
}
