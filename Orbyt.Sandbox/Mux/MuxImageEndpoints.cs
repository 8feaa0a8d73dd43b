using System.Globalization;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Mux;

/// <summary>
/// image.mux.com (§16.4): <c>/{playback_id}/thumbnail.jpg|png</c> — a real image of the asset's size, or of
/// <c>width</c>/<c>height</c> by <c>fit_mode</c> (preserve keeps the ratio inside the box; stretch, crop,
/// smartcrop and pad give exactly the box). A bad fit_mode → 400 "Unrecognized fit-mode"; a bad number → 400
/// "Invalid parameter"; unknown ids and files → 404. Signed assets need a token with <c>aud=t</c> (§16.3).
/// Thumbnails are served from the asset's creation (Mux makes them from the HLS stream, which precedes the MP4s).
/// </summary>
internal static class MuxImageEndpoints
{
    private static readonly string[] FitModes = ["preserve", "stretch", "crop", "smartcrop", "pad"];

    public static IEndpointRouteBuilder MapMuxImageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/mux-image/{playbackId}/{file}", Serve);
        return app;
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new { code = 3, message }, SandboxJson.Verbatim, statusCode: 400);

    private static IResult Serve(string playbackId, string file, HttpContext context, SandboxState state, MuxSigning signing)
    {
        var asset = MuxStreamEndpoints.Find(state, playbackId);
        if (asset is null || file is not ("thumbnail.jpg" or "thumbnail.png"))
        {
            return MuxStreamEndpoints.NotFound();
        }

        if (MuxStreamEndpoints.Refuse(context, asset, "t", state, signing) is { } refused)
        {
            return refused;
        }

        var query = context.Request.Query;
        var fit = query["fit_mode"].ToString() is { Length: > 0 } f ? f : "preserve";
        if (!FitModes.Contains(fit))
        {
            return BadRequest("Unrecognized fit-mode");
        }

        if (!TryDimension(query["width"], out var width) || !TryDimension(query["height"], out var height)
            || (query["time"] is { Count: > 0 } t && !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            return BadRequest("Invalid parameter");
        }

        var (w, h) = Size(asset.Movie.Width, asset.Movie.Height, width, height, fit);
        return file == "thumbnail.png" ? Results.File(SolidImages.Png(w, h), "image/png") : Results.File(SolidImages.Jpeg(w, h), "image/jpeg");
    }

    private static bool TryDimension(Microsoft.Extensions.Primitives.StringValues value, out int? pixels)
    {
        pixels = null;
        if (value.Count == 0)
        {
            return true;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 4096)
        {
            pixels = n;
            return true;
        }

        return false;
    }

    private static (int, int) Size(int sourceWidth, int sourceHeight, int? width, int? height, string fit)
    {
        var ratio = (double)sourceWidth / sourceHeight;
        return (width, height) switch
        {
            (null, null) => (sourceWidth, sourceHeight),
            ({ } w, null) => (w, Math.Max(1, (int)Math.Round(w / ratio))),
            (null, { } h) => (Math.Max(1, (int)Math.Round(h * ratio)), h),
            ({ } w, { } h) when fit == "preserve" => w / (double)h > ratio ? (Math.Max(1, (int)Math.Round(h * ratio)), h) : (w, Math.Max(1, (int)Math.Round(w / ratio))),
            ({ } w, { } h) => (w, h),
        };
    }
}
