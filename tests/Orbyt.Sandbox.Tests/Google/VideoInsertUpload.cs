using Google.Apis.Services;
using Google.Apis.Upload;
using Google.Apis.Util;

namespace Orbyt.Sandbox.Tests;

/// <summary>videos.insert as the generated client declares it, with a relative path so the base URI's prefix is kept.</summary>
public sealed class VideoInsertUpload : ResumableUpload<UploadVideo, UploadVideo>
{
    public VideoInsertUpload(IClientService service, UploadVideo body, Stream content, string contentType)
        : base(service, "upload/youtube/v3/videos", "POST", content, contentType) => Body = body;

    [RequestParameter("part", RequestParameterType.Query)]
    public string Part { get; set; } = "snippet,status";

    [RequestParameter("notifySubscribers", RequestParameterType.Query)]
    public bool? NotifySubscribers { get; set; } = false;
}
