using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.YouTube;

/// <summary>
/// videos.insert in one request, as Google's Node client sends it (§15.8): <c>uploadType=multipart</c> is a
/// <c>multipart/related</c> body of the Video resource as JSON and then the media; <c>uploadType=media</c> is the
/// media alone. Nothing can be resumed: the video exists only once the whole body has arrived. The caller has
/// authenticated and named <c>part</c>; the checks are the resumable path's (§6.3, §6.7, §6.8).
/// </summary>
internal static class OneShotVideoInsert
{
    /// <summary>The title YouTube gives a video uploaded without metadata ("optionally sets the video's metadata").</summary>
    private const string UntitledVideo = "unknown";

    public static async Task<IResult> InsertAsync(HttpContext context, SandboxState state, GoogleAccessToken token, string uploadType)
    {
        var body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        await using (body)
        {
            try
            {
                return uploadType == "multipart" ? await MultipartAsync(context, state, token, body) : await MediaAsync(context, state, token, body);
            }
            catch (Exception e) when (e is IOException or InvalidDataException && !context.RequestAborted.IsCancellationRequested)
            {
                // A body that ends before its closing boundary, or a broken gzip stream.
                return new GoogleApiError(400, "badContent", $"Malformed {uploadType} upload body: {e.Message}").ToResult();
            }
        }
    }

    private static async Task<IResult> MultipartAsync(HttpContext context, SandboxState state, GoogleAccessToken token, Stream body)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            var given = contentType?.MediaType.ToString() ?? context.Request.ContentType ?? "";
            return new GoogleApiError(400, "badContent", $"Media type '{given}' is not supported. Valid media types: [multipart/related]").ToResult();
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).ToString();
        if (boundary.Length == 0)
        {
            return new GoogleApiError(400, "badContent", "The multipart/related body has no boundary parameter.").ToResult();
        }

        var reader = new MultipartReader(boundary, body);
        var metadataPart = await reader.ReadNextSectionAsync(context.RequestAborted);
        if (metadataPart is null || !IsJson(metadataPart.ContentType))
        {
            return new GoogleApiError(400, "badContent", "The first part of a multipart upload must be the Video resource as application/json.").ToResult();
        }

        JsonObject resource;
        try
        {
            using var json = new MemoryStream();
            await metadataPart.Body.CopyToAsync(json, context.RequestAborted);
            resource = JsonNode.Parse(json.ToArray()) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return new GoogleApiError(400, "parseError", "Parse Error").ToResult();
        }

        var (metadata, invalid) = YouTubeEndpoints.ReadMetadata(resource, context.Request.Query);
        if (metadata is null)
        {
            return invalid!.ToResult();
        }

        var mediaPart = await reader.ReadNextSectionAsync(context.RequestAborted);
        if (mediaPart is null)
        {
            return MediaBodyRequired().ToResult();
        }

        if (YouTubeEndpoints.MediaTypeError(mediaPart.ContentType ?? "") is { } badType)
        {
            return badType.ToResult();
        }

        var (account, refused) = YouTubeEndpoints.ReserveInsert(state, token);
        if (account is null)
        {
            return refused!.ToResult();
        }

        using var media = new ReceivedMedia();
        if (await ReceiveAsync(context, state, mediaPart.Body, media) is { } error)
        {
            return error.ToResult();
        }

        if (await reader.ReadNextSectionAsync(context.RequestAborted) is not null)
        {
            return new GoogleApiError(400, "badContent", "A multipart upload has exactly two parts: the metadata and the media.").ToResult();
        }

        return YouTubeEndpoints.VideoResult(state, YouTubeEndpoints.CreateVideo(context, state, account.Channel!.Id, metadata, media));
    }

    private static async Task<IResult> MediaAsync(HttpContext context, SandboxState state, GoogleAccessToken token, Stream body)
    {
        if (YouTubeEndpoints.MediaTypeError(context.Request.ContentType ?? "") is { } badType)
        {
            return badType.ToResult();
        }

        if (context.Request.ContentLength > state.Settings.YoutubeVideoMaxBytes)
        {
            return YouTubeEndpoints.TooLarge(state).ToResult();
        }

        var (account, refused) = YouTubeEndpoints.ReserveInsert(state, token);
        if (account is null)
        {
            return refused!.ToResult();
        }

        using var media = new ReceivedMedia();
        if (await ReceiveAsync(context, state, body, media) is { } error)
        {
            return error.ToResult();
        }

        var query = context.Request.Query;
        var metadata = new YouTubeVideoMetadata(UntitledVideo, "", [], "22", "public", null, null, query["part"].ToString(),
            query["notifySubscribers"].ToString() != "false");
        return YouTubeEndpoints.VideoResult(state, YouTubeEndpoints.CreateVideo(context, state, account.Channel!.Id, metadata, media));
    }

    /// <summary>Streams the media into a running hash; at most <c>youtube_video_max_bytes</c>, at least one byte.</summary>
    private static async Task<GoogleApiError?> ReceiveAsync(HttpContext context, SandboxState state, Stream body, ReceivedMedia media)
    {
        var limit = state.Settings.YoutubeVideoMaxBytes;
        await SandboxHttp.PumpAsync(body, bytes =>
        {
            media.Append(bytes.Span);
            return ValueTask.CompletedTask;
        }, limit + 1, context.RequestAborted);
        return media.Received > limit ? YouTubeEndpoints.TooLarge(state) : media.Received == 0 ? MediaBodyRequired() : null;
    }

    private static GoogleApiError MediaBodyRequired() => new(400, "mediaBodyRequired", "The request does not include the video content.", "youtube.video");

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type) && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
