using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>rupload.facebook.com: reel bytes (/video-upload) and resumable Instagram containers (/ig-api-upload).</summary>
internal static class RuploadEndpoints
{
    public static IEndpointRouteBuilder MapRuploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/rupload/video-upload/{version}/{videoId}", ReelUpload);
        app.MapPost("/rupload/ig-api-upload/{version}/{containerId}", InstagramUpload);
        return app;
    }

    private static IResult DebugError(string type, string message, int status = 400) =>
        Results.Json(new { debug_info = new { retriable = false, type, message } }, SandboxJson.Verbatim, statusCode: status);

    private static async Task<IResult> ReelUpload(string videoId, HttpContext context, SandboxState state, MediaFetcher fetcher)
    {
        var (caller, error) = MetaAuth.Authenticate(state, OAuthToken(context));
        if (caller is null)
        {
            return error!.ToResult();
        }

        FacebookVideo? video;
        FacebookPage? page;
        lock (state.Gate)
        {
            video = state.FacebookVideos.GetValueOrDefault(videoId);
            page = video is null ? null : state.Pages.GetValueOrDefault(video.PageId);
        }

        if (video is null || page is null)
        {
            return DebugError("NotFoundError", $"Video {videoId} not found", 404);
        }

        if (PagePublishing.RequirePageToken(state, caller, page) is { } denied)
        {
            return denied.ToResult();
        }

        var outcome = await Receive(context, fetcher, video.Media, () => video.ExpectedBytes, size => video.ExpectedBytes = size, video, context.RequestAborted);
        if (outcome is not null)
        {
            return outcome;
        }

        lock (video)
        {
            if (video.ExpectedBytes == video.Media.Received && video.UploadedAt is null)
            {
                video.Sha256 = video.Media.Sha256;
                video.ByteLength = video.Media.Received;
                PagePublishing.Complete(state, context, video);
            }
        }

        return GraphEndpoints.Json(new { success = true });
    }

    private static async Task<IResult> InstagramUpload(string containerId, HttpContext context, SandboxState state, MediaFetcher fetcher)
    {
        var (caller, error) = MetaAuth.Authenticate(state, OAuthToken(context));
        if (caller is null)
        {
            return error!.ToResult();
        }

        InstagramContainer? container;
        lock (state.Gate)
        {
            container = state.Containers.GetValueOrDefault(containerId);
        }

        if (container?.Resumable is not { } media)
        {
            return DebugError("NotFoundError", $"Container {containerId} not found", 404);
        }

        InstagramAccount ig;
        lock (state.Gate)
        {
            ig = state.InstagramAccounts[container.IgUserId];
        }

        if (InstagramPublishing.RequireAccess(state, caller, ig, publish: true) is { } denied)
        {
            return denied.ToResult();
        }

        var outcome = await Receive(context, fetcher, media, () => container.ResumableSize, size => container.ResumableSize = size, container, context.RequestAborted);
        if (outcome is not null)
        {
            return outcome;
        }

        lock (container)
        {
            if (container.ResumableSize == media.Received && container.ReadyAt is null)
            {
                container.ByteLength = media.Received;
                container.Sha256 = media.Sha256;
                container.ErrorSubcode ??= InstagramPublishing.ProcessingError(container, media.Inspector.Shape(), media.Received);
                container.ReadyAt = state.Clock.GetUtcNow().AddSeconds(state.Settings.IgVideoProcessingSeconds);
            }
        }

        return GraphEndpoints.Json(new { success = true, message = "Upload successful." });
    }

    private static string? OAuthToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase) ? header[6..].Trim() : null;
    }

    /// <summary>Takes bytes from the body (at the offset header) or from file_url; null when all went well.</summary>
    private static async Task<IResult?> Receive(
        HttpContext context, MediaFetcher fetcher, ReceivedMedia media, Func<long?> expected, Action<long> setExpected, object gate, CancellationToken ct)
    {
        var headers = context.Request.Headers;
        if (headers["file_url"].ToString() is { Length: > 0 } url)
        {
            lock (gate)
            {
                if (media.Received != 0)
                {
                    return DebugError("OffsetInvalidError", "A hosted file can only be given to an empty upload session.");
                }
            }

            var fetched = await fetcher.FetchAsync(url, MediaKind.Mp4, 10L * 1024 * 1024 * 1024, ct, bytes =>
            {
                lock (gate)
                {
                    media.Append(bytes.Span);
                }
            });
            if (fetched.Outcome != FetchOutcome.Ok)
            {
                return DebugError("ProcessingFailedError", $"Could not fetch the file_url: {fetched.Outcome}");
            }

            lock (gate)
            {
                setExpected(fetched.ByteLength);
            }

            return null;
        }

        if (!long.TryParse(headers["offset"].ToString(), out var offset) || offset < 0)
        {
            return DebugError("ParameterValidationError", "HeaderValuePredicate: Header Offset not convertable to unsigned long");
        }

        lock (gate)
        {
            if (long.TryParse(headers["file_size"].ToString(), out var size))
            {
                setExpected(size);
            }

            if (expected() is null)
            {
                return DebugError("ParameterValidationError", "HeaderValuePredicate: Header File_size not convertable to unsigned long");
            }

            if (offset != media.Received)
            {
                return DebugError("OffsetInvalidError", $"Start offset {offset} is invalid; {media.Received} bytes were received.");
            }
        }

        await SandboxHttp.PumpAsync(context.Request.Body, bytes =>
        {
            lock (gate)
            {
                media.Append(bytes.Span);
            }

            return ValueTask.CompletedTask;
        }, expected()!.Value - offset, ct);
        return null;
    }
}
