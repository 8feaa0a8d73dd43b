using System.Net.Http.Headers;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Mux;

/// <summary>
/// stream.mux.com: static MP4 renditions with Range support, the 404 Mux answers while a rendition is not ready
/// (§7.4, §16.2), and signed playback: a signed asset needs <c>?token=</c> with <c>aud=v</c>, else 403 (§16.3).
/// </summary>
internal static class MuxStreamEndpoints
{
    public static IEndpointRouteBuilder MapMuxStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/mux-stream/{playbackId}/{file}", ["GET", "HEAD"], Serve);
        return app;
    }

    public static IResult NotFound() =>
        Results.Json(new { code = 5, message = "Not Found" }, SandboxJson.Verbatim, statusCode: 404);

    /// <summary>Mux documents no body for a refused token (§16.3); this one follows its other errors' shape.</summary>
    public static IResult Forbidden(string why) =>
        Results.Json(new { code = 7, message = $"Permission Denied: {why}" }, SandboxJson.Verbatim, statusCode: 403);

    /// <summary>The asset behind a playback id, or null.</summary>
    public static MuxAsset? Find(SandboxState state, string playbackId)
    {
        lock (state.Gate)
        {
            return state.MuxAssets.Values.FirstOrDefault(a => a.PlaybackId == playbackId);
        }
    }

    /// <summary>A signed asset's token check for <paramref name="aud"/>: null when the request may go on.</summary>
    public static IResult? Refuse(HttpContext context, MuxAsset asset, string aud, SandboxState state, MuxSigning signing) =>
        asset.Policy == "signed" && signing.Refusal(context.Request.Query["token"], asset.PlaybackId, aud, state.Clock.GetUtcNow()) is { } why
            ? Forbidden(why)
            : null;

    private static async Task Serve(string playbackId, string file, HttpContext context, SandboxState state, MuxSigning signing)
    {
        var asset = Find(state, playbackId);
        var isMp4 = file.EndsWith(".mp4", StringComparison.Ordinal) || file.EndsWith(".m4a", StringComparison.Ordinal);
        if (asset is null || !isMp4)
        {
            await NotFound().ExecuteAsync(context);
            return;
        }

        // The token is checked before readiness: Mux authorises the playback id first.
        if (Refuse(context, asset, "v", state, signing) is { } refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }

        if (state.Clock.GetUtcNow() < asset.ReadyAt)
        {
            await NotFound().ExecuteAsync(context);
            return;
        }

        var size = asset.SizeBytes;
        long start = 0;
        var end = size - 1;
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ETag = $"\"{asset.AssetId}-{size}\"";
        response.ContentType = file.EndsWith(".m4a", StringComparison.Ordinal) ? "audio/mp4" : "video/mp4";
        if (context.Request.Query["download"] is { Count: > 0 } download)
        {
            response.Headers.ContentDisposition = $"attachment; filename=\"{download}\"";
        }

        if (RangeHeaderValue.TryParse(context.Request.Headers.Range.ToString(), out var range) && range.Unit == "bytes" && range.Ranges.Count == 1)
        {
            var item = range.Ranges.First();
            if (item.From is null && item.To is { } suffix)
            {
                start = Math.Max(0, size - suffix);
            }
            else
            {
                start = item.From ?? 0;
                end = Math.Min(end, item.To ?? end);
            }

            if (start >= size || start > end)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{size}";
                return;
            }

            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start}-{end}/{size}";
        }

        response.ContentLength = end - start + 1;
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var buffer = new byte[64 * 1024];
        var throughput = asset.ThroughputBytesPerSecond;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        long sent = 0;
        for (var offset = start; offset <= end; offset += buffer.Length)
        {
            var count = (int)Math.Min(buffer.Length, end - offset + 1);
            asset.Content.Fill(offset, buffer.AsSpan(0, count));
            await response.Body.WriteAsync(buffer.AsMemory(0, count), context.RequestAborted);
            sent += count;
            if (throughput is > 0)
            {
                // A bandwidth cap is real time by nature: it paces the socket, not the sandbox clock.
                var due = TimeSpan.FromSeconds((double)sent / throughput.Value) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, context.RequestAborted);
                }
            }
        }
    }
}
