using Google.Apis.Http;
using Google.Apis.Services;
using Google.Apis.Upload;

namespace Orbyt.Uploader.Platforms.YouTube;

public static class YouTubeUploads
{
    /// <summary>Chunk size: a multiple of 256 KiB; memory per upload is about one chunk.</summary>
    public const int ChunkSize = 8 * ResumableUpload.MinimumChunkSize * 4;

    public static YouTubeService CreateService(Uri baseUrl, string accessToken, Action<HttpResponseMessage>? observeFailures = null) => new(new BaseClientService.Initializer
    {
        HttpClientInitializer = observeFailures is null ? new BearerToken(accessToken) : new Initializers(new BearerToken(accessToken), new ResponseObserver(observeFailures)),
        BaseUri = baseUrl.ToString(),
        ApplicationName = "Orbyt",
        // Video chunks do not compress; gzip would only spend CPU.
        GZipEnabled = false,
        DefaultExponentialBackOffPolicy = ExponentialBackOffPolicy.Exception | ExponentialBackOffPolicy.UnsuccessfulResponse503,
    });

    public static VideoInsertUpload CreateInsert(YouTubeService service, YouTubeVideo video, Stream content, bool notifySubscribers)
    {
        return new VideoInsertUpload(service, content, "video/mp4") { Body = video, NotifySubscribers = notifySubscribers, ChunkSize = ChunkSize };
    }
}
