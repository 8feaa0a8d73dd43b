using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;
using System.Text.Json;
using System.Text.Json.Serialization;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Google;
using Orbyt.Uploader.Media;

namespace Orbyt.Uploader.Platforms.YouTube;

/// <summary>
/// videos.insert through YouTube's resumable protocol (reference §6.4), streaming: each chunk's PUT body is read
/// from the source as it is sent, through the relay's buffer, so an upload holds that buffer and nothing else — no
/// chunk copy, no synchronous read (Google.Apis' ResumableUpload copies every chunk into a new memory stream with
/// blocking 4 KiB reads). After an interruption it never re-sends blindly: it asks the session for the persisted
/// offset first (<c>bytes */N</c>) and continues from there.
/// </summary>
public sealed class YouTubeResumableUpload(HttpClient http, IOptions<GoogleOptions> options, TimeProvider time)
{
    /// <summary>Bytes per PUT: a multiple of 256 KiB (§6.4). Streamed, so it costs no memory; large, so round trips are few.</summary>
    public const long ChunkSize = 64L * 1024 * 1024;

    /// <summary>Interruptions (5xx, a dropped connection) survived in one run before the job's own retry takes over.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Step 1: a session for <paramref name="length"/> bytes; the metadata errors (invalidTitle, quotaExceeded …) come here.</summary>
    public async Task<Uri> StartAsync(string accessToken, YouTubeVideo video, long length, string contentType, bool notifySubscribers, CancellationToken ct)
    {
        var url = new Uri(options.Value.YouTubeBaseUrl,
            $"upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&notifySubscribers={(notifySubscribers ? "true" : "false")}");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(video, Json), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("X-Upload-Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Upload-Content-Type", contentType);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
        return response.Headers.Location ?? throw new HttpRequestException("YouTube started an upload session without a Location.");
    }

    /// <summary>Step 3: the session's persisted offset, or the video when it is complete. 404/410: the session is gone.</summary>
    public async Task<YouTubeUploadState> QueryAsync(Uri session, string accessToken, long length, CancellationToken ct)
    {
        using var request = Put(session, accessToken, new ByteArrayContent([]));
        request.Content!.Headers.ContentRange = new ContentRangeHeaderValue(length);
        using var response = await http.SendAsync(request, ct);
        return await ReadStateAsync(response, ct);
    }

    /// <summary>
    /// Step 2: every byte from <paramref name="from"/> on, in chunks, until YouTube answers with the video.
    /// <paramref name="source"/> must be seekable (it is positioned at each chunk's first byte). A few interruptions
    /// are resumed here, each from the offset the session reports; then the error goes to the caller, and the job
    /// resumes the saved session later.
    /// </summary>
    public async Task<YouTubeVideo> SendAsync(Uri session, string accessToken, RangedHttpStream source, long from, Memory<byte> buffer,
        Func<long, CancellationToken, ValueTask> progress, CancellationToken ct)
    {
        var length = source.Length;
        var offset = from;
        for (var failures = 0; ; )
        {
            YouTubeUploadState state;
            try
            {
                state = await SendChunkAsync(session, accessToken, source, offset, buffer, progress, ct);
            }
            catch (Exception ex) when (IsInterruption(ex, ct) && failures < Backoff.Length)
            {
                if (Unwrap<MediaNotReadyException>(ex) is { } notReady) throw notReady;
                await Task.Delay(Backoff[failures++], time, ct);
                source.Reopen();
                state = await QueryAsync(session, accessToken, length, ct);
            }
            catch (HttpRequestException ex) when (Unwrap<MediaNotReadyException>(ex) is { } notReady)
            {
                throw notReady;
            }

            if (state.Video is { } video) return video;
            offset = state.Committed;
            await progress(offset, ct);
        }
    }

    private async Task<YouTubeUploadState> SendChunkAsync(Uri session, string accessToken, RangedHttpStream source, long offset, Memory<byte> buffer,
        Func<long, CancellationToken, ValueTask> progress, CancellationToken ct)
    {
        var length = source.Length;
        var count = Math.Min(ChunkSize, length - offset);
        source.Position = offset;
        using var request = Put(session, accessToken, new RelayContent(source, count, buffer, (sent, token) => progress(offset + sent, token)));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        request.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + count - 1, length);
        using var response = await http.SendAsync(request, ct);
        return await ReadStateAsync(response, ct);
    }

    /// <summary>
    /// thumbnails.set as its own resumable upload (§15.2): a session for the image's <paramref name="length"/> bytes.
    /// The video checks (unknown video, a channel not allowed custom thumbnails) answer here, before any byte.
    /// </summary>
    public async Task<Uri> StartThumbnailAsync(string accessToken, string videoId, long length, string contentType, CancellationToken ct)
    {
        var url = new Uri(options.Value.YouTubeBaseUrl, $"upload/youtube/v3/thumbnails/set?videoId={Uri.EscapeDataString(videoId)}&uploadType=resumable");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent([]) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add("X-Upload-Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Upload-Content-Type", contentType);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
        return response.Headers.Location ?? throw new HttpRequestException("YouTube started a thumbnail session without a Location.");
    }

    /// <summary>
    /// The thumbnail's bytes from <paramref name="from"/> (an image of at most a few MB: one PUT). True once YouTube
    /// answered with the thumbnail set; false when it kept only part (the caller asks the session and sends the rest).
    /// </summary>
    public async Task<bool> SendThumbnailAsync(Uri session, string accessToken, ReadOnlyMemory<byte> image, long from, CancellationToken ct)
    {
        using var request = Put(session, accessToken, new ReadOnlyMemoryContent(image[(int)from..]));
        if (from > 0 || image.Length > 0)
            request.Content!.Headers.ContentRange = new ContentRangeHeaderValue(from, image.Length - 1, image.Length);
        using var response = await http.SendAsync(request, ct);
        return await ReadThumbnailStateAsync(response, ct) is null;
    }

    /// <summary>The thumbnail session's persisted offset, or null when the thumbnail is already set. 404/410: the session is gone.</summary>
    public async Task<long?> QueryThumbnailAsync(Uri session, string accessToken, long length, CancellationToken ct)
    {
        using var request = Put(session, accessToken, new ByteArrayContent([]));
        request.Content!.Headers.ContentRange = new ContentRangeHeaderValue(length);
        using var response = await http.SendAsync(request, ct);
        return await ReadThumbnailStateAsync(response, ct);
    }

    private static async Task<long?> ReadThumbnailStateAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if ((int)response.StatusCode == 308)
            return Committed(response);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
            return null;
        if ((int)response.StatusCode >= 500)
            throw new HttpRequestException($"YouTube answered the thumbnail with {(int)response.StatusCode}.", null, response.StatusCode);
        throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
    }

    private static HttpRequestMessage Put(Uri session, string accessToken, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, session) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    /// <summary>308 → the persisted offset (no Range: nothing yet); 200/201 → the video; anything else → the platform's error.</summary>
    private static async Task<YouTubeUploadState> ReadStateAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if ((int)response.StatusCode == 308)
            return new YouTubeUploadState(Committed(response), null);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created)
        {
            var video = await response.Content.ReadFromJsonAsync<YouTubeVideo>(Json, ct);
            return new YouTubeUploadState(0, video ?? throw new HttpRequestException("YouTube answered the upload without a video."));
        }
        if ((int)response.StatusCode >= 500)
            throw new HttpRequestException($"YouTube answered the upload with {(int)response.StatusCode}.", null, response.StatusCode);
        throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
    }

    /// <summary>A 308's committed length: <c>Range: bytes=0-N</c> → N + 1; no Range → nothing stored yet.</summary>
    private static long Committed(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Range", out var ranges) && ranges.FirstOrDefault() is { } range
        && range.LastIndexOf('-') is var dash and > 0 && long.TryParse(range[(dash + 1)..], out var last) ? last + 1 : 0;

    /// <summary>A dropped connection or a 5xx: resumable from the persisted offset. A platform's 4xx answer is not.</summary>
    private static bool IsInterruption(Exception ex, CancellationToken ct) =>
        !ct.IsCancellationRequested && ex is HttpRequestException or IOException or TaskCanceledException;

    private static T? Unwrap<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found) return found;
        }
        return null;
    }
}
