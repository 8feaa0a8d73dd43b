using Google.Apis.Http;
using Google.Apis.Requests;
using Google.Apis.Services;
using Google.Apis.Upload;
using Google.Apis.Util;
using Newtonsoft.Json;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>The writable parts of a YouTube video resource we send, and the id we get back.</summary>
public sealed class YouTubeVideo
{
    [JsonProperty("id")] public string? Id { get; set; }
    [JsonProperty("snippet")] public YouTubeSnippet? Snippet { get; set; }
    [JsonProperty("status")] public YouTubeStatus? Status { get; set; }
}

public sealed class YouTubeSnippet
{
    [JsonProperty("title")] public string? Title { get; set; }
    [JsonProperty("description")] public string? Description { get; set; }
    [JsonProperty("tags")] public IList<string>? Tags { get; set; }
    [JsonProperty("categoryId")] public string? CategoryId { get; set; }
}

public sealed class YouTubeStatus
{
    [JsonProperty("privacyStatus")] public string? PrivacyStatus { get; set; }
    [JsonProperty("selfDeclaredMadeForKids")] public bool? SelfDeclaredMadeForKids { get; set; }
    [JsonProperty("uploadStatus")] public string? UploadStatus { get; set; }
}

/// <summary>
/// A client service for youtube.googleapis.com (or the sandbox's /youtube/) without the generated
/// Google.Apis.YouTube.v3 package, which the registry here does not serve (platform-apis.md §8.2).
/// </summary>
public sealed class YouTubeService(BaseClientService.Initializer initializer) : BaseClientService(initializer)
{
    public override string Name => "youtube";
    public override string BaseUri => BaseUriOverride ?? "https://youtube.googleapis.com/";
    public override string BasePath => "";
    public override IList<string> Features => [];
}

/// <summary>videos.insert through Google's resumable upload protocol (relative path, so a base URL with a prefix works).</summary>
public sealed class VideoInsertUpload(IClientService service, Stream content, string contentType)
    : ResumableUpload<YouTubeVideo, YouTubeVideo>(service, "upload/youtube/v3/videos", "POST", content, contentType)
{
    [RequestParameter("part", RequestParameterType.Query)]
    public string Part { get; set; } = "snippet,status";

    [RequestParameter("notifySubscribers", RequestParameterType.Query)]
    public bool? NotifySubscribers { get; set; }
}

/// <summary>Adds the connection's access token to every request Google.Apis makes.</summary>
public sealed class BearerToken(string accessToken) : IConfigurableHttpClientInitializer, IHttpExecuteInterceptor
{
    public void Initialize(ConfigurableHttpClient httpClient) => httpClient.MessageHandler.AddExecuteInterceptor(this);

    public Task InterceptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return Task.CompletedTask;
    }

    public override string ToString() => "BearerToken(***)";
}

/// <summary>Shows every unsuccessful Google.Apis response to an observer (the platform clock reads its Date header); handles none.</summary>
public sealed class ResponseObserver(Action<HttpResponseMessage> observe) : IConfigurableHttpClientInitializer, IHttpUnsuccessfulResponseHandler
{
    public void Initialize(ConfigurableHttpClient httpClient) => httpClient.MessageHandler.AddUnsuccessfulResponseHandler(this);

    public Task<bool> HandleResponseAsync(HandleUnsuccessfulResponseArgs args)
    {
        observe(args.Response);
        return Task.FromResult(false);
    }
}

/// <summary>Runs several initializers on one client.</summary>
public sealed class Initializers(params IConfigurableHttpClientInitializer[] all) : IConfigurableHttpClientInitializer
{
    public void Initialize(ConfigurableHttpClient httpClient)
    {
        foreach (var initializer in all) initializer.Initialize(httpClient);
    }
}

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
