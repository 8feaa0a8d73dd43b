using Google.Apis.Services;
using Google.Apis.Upload;
using Google.Apis.Util;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// thumbnails.set as the generated client declares it (a media upload with no request body), with a relative path so the
/// base URI's prefix is kept.
/// </summary>
public sealed class ThumbnailSetUpload(IClientService service, string videoId, Stream content, string contentType)
    : ResumableUpload<object, ThumbnailSetResponse>(service, "upload/youtube/v3/thumbnails/set", "POST", content, contentType)
{
    [RequestParameter("videoId", RequestParameterType.Query)]
    public string VideoId { get; } = videoId;
}

public sealed class ThumbnailSetResponse
{
    [Newtonsoft.Json.JsonProperty("kind")] public string? Kind { get; set; }
}
