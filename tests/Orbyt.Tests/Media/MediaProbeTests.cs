using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Media;

namespace Orbyt.Tests.Media;

/// <summary>The media probe's parts: magic numbers, image headers, the moov box, allowed-host patterns, signed-URL expiry, the specs.</summary>
public sealed class MediaProbeTests
{
    [Theory]
    [InlineData("FFD8FFE0", MediaFormat.Jpeg)]
    [InlineData("89504E470D0A1A0A", MediaFormat.Png)]
    [InlineData("474946383961", MediaFormat.Gif)]
    [InlineData("524946460000000057454250", MediaFormat.WebP)]
    [InlineData("000000206674797069736F6D", MediaFormat.Mp4)]
    [InlineData("0000001466747970717420200", MediaFormat.QuickTime)]
    [InlineData("1A45DFA3", MediaFormat.WebM)]
    [InlineData("3C68746D6C3E", MediaFormat.Unknown)]
    public void The_format_comes_from_the_first_bytes(string hex, MediaFormat expected) =>
        Assert.Equal(expected, MediaSniffer.Format(Convert.FromHexString(hex.Length % 2 == 0 ? hex : hex[..^1])));

    [Fact]
    public void A_jpeg_png_gif_and_webp_header_give_the_pixel_size()
    {
        // JPEG: SOI, an APP0 segment to skip, then SOF0 with height 1350 and width 1080.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x05, 0x46, 0x04, 0x38, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9];
        Assert.Equal((1080, 1350), MediaSniffer.ImageSize(MediaFormat.Jpeg, jpeg));

        var png = new byte[24];
        "\x89PNG\r\n\x1a\n"u8.ToArray().CopyTo(png, 0);
        "IHDR"u8.ToArray().CopyTo(png, 12);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 640);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 480);
        Assert.Equal((640, 480), MediaSniffer.ImageSize(MediaFormat.Png, png));

        Assert.Equal((300, 200), MediaSniffer.ImageSize(MediaFormat.Gif, [.. "GIF89a"u8, 0x2C, 0x01, 0xC8, 0x00]));

        var webp = new byte[30];
        "RIFF"u8.ToArray().CopyTo(webp, 0);
        "WEBPVP8X"u8.ToArray().CopyTo(webp, 8);
        webp[24] = 0xFF; webp[25] = 0x03; // 1023 + 1
        webp[27] = 0x3F; webp[28] = 0x02; // 575 + 1
        Assert.Equal((1024, 576), MediaSniffer.ImageSize(MediaFormat.WebP, webp));
    }

    [Fact]
    public async Task The_probe_reads_the_moov_at_the_end_of_a_file_with_ranged_reads_and_turns_a_rotated_track()
    {
        var file = Mp4(durationMs: 42_000, width: 1920, height: 1080, rotation90: true, moovAtEnd: true, mediaBytes: 300_000);
        var server = new RangeServer(file);
        var probe = new MediaProbe(new HttpClient(server));

        var result = Assert.IsType<MediaProbeResult.Ready>(await probe.ProbeAsync(new Uri("https://stream.mux.com/p/highest.mp4"), default));

        var facts = result.Facts;
        Assert.Equal((MediaFormat.Mp4, (long?)file.Length), (facts.Format, facts.Length));
        Assert.Equal(TimeSpan.FromSeconds(42), facts.Duration);
        Assert.Equal((1080, 1920), (facts.Width!.Value, facts.Height!.Value));
        Assert.Equal(("avc1", "mp4a"), (facts.VideoCodec, facts.AudioCodec));
        Assert.Equal((true, false), (facts.HasMovieBox, facts.MovieBoxFirst));
        // The first 64 KiB, the headers of ftyp and mdat, then the moov box alone: never the whole file.
        Assert.True(server.BytesServed < 80_000, $"{server.BytesServed} bytes read");
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, typeof(MediaProbeResult.NotReady))]
    [InlineData(HttpStatusCode.Forbidden, typeof(MediaProbeResult.Refused))]
    [InlineData(HttpStatusCode.BadGateway, typeof(MediaProbeResult.Failed))]
    public async Task A_404_is_not_ready_a_403_refused_and_anything_else_failed(HttpStatusCode status, Type expected)
    {
        var probe = new MediaProbe(new HttpClient(new RangeServer([], status)));
        Assert.IsType(expected, await probe.ProbeAsync(new Uri("https://stream.mux.com/p/highest.mp4"), default));
    }

    [Theory]
    [InlineData("*.supabase.co", "abc.supabase.co", true)]
    [InlineData("*.supabase.co", "ABC.Supabase.co.", true)]
    [InlineData("*.supabase.co", "supabase.co", false)]
    [InlineData("*.supabase.co", "a.b.supabase.co", false)]
    [InlineData("*.supabase.co", "evilsupabase.co", false)]
    [InlineData("image.mux.com", "image.mux.com", true)]
    [InlineData("image.mux.com", "x.image.mux.com", false)]
    public void Allowed_host_patterns_match_the_host_or_exactly_one_label_under_a_wildcard(string pattern, string host, bool matches) =>
        Assert.Equal(matches, MediaUrlPolicy.HostMatches(pattern, host));

    [Fact]
    public void A_signed_urls_expiry_is_read_from_its_token_and_its_query_never_shown()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"sub\":\"p\",\"aud\":\"v\",\"exp\":1893456000}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var url = $"https://stream.mux.com/p/highest.mp4?token=eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln&download=x";

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1893456000), SignedMediaUrl.Expiry(url));
        Assert.Null(SignedMediaUrl.Expiry("https://stream.mux.com/p/highest.mp4"));
        Assert.Null(SignedMediaUrl.Expiry("https://stream.mux.com/p/highest.mp4?token=opaque"));
        Assert.Equal("https://stream.mux.com/p/highest.mp4?token=redacted&download=redacted", SignedMediaUrl.Redact(url));
    }

    [Fact]
    public void The_specs_name_the_rule_a_file_breaks_for_each_target()
    {
        var reel = new MediaFacts { Format = MediaFormat.Mp4, FormatFromBytes = true, Length = 5_000_000, Duration = TimeSpan.FromSeconds(30), Width = 1080, Height = 1920, VideoCodec = "avc1", HasMovieBox = true };
        Assert.Null(MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Video, reel));
        Assert.Equal(ErrorCatalog.MediaDurationOutOfRange, MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Video, reel with { Duration = TimeSpan.FromSeconds(2) })?.Error);
        Assert.Equal(ErrorCatalog.MediaResolutionUnsupported, MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Video, reel with { Width = 2160, Height = 3840 })?.Error);
        Assert.Equal(ErrorCatalog.MediaTooLarge, MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Video, reel with { Length = 400L * 1024 * 1024 })?.Error);
        Assert.Equal(ErrorCatalog.MediaUnsupportedFormat, MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Video, reel with { VideoCodec = "vp09" })?.Error);
        Assert.Equal(ErrorCatalog.MediaUnsupportedFormat, MediaSpecs.Check(PlatformNames.YouTube, MediaTypes.Video, reel with { HasMovieBox = false })?.Error);
        Assert.Null(MediaSpecs.Check(PlatformNames.Facebook, MediaTypes.Video, reel with { Duration = TimeSpan.FromMinutes(30) }));

        var image = new MediaFacts { Format = MediaFormat.Jpeg, FormatFromBytes = true, Length = 200_000, Width = 1080, Height = 1350 };
        Assert.Null(MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Image, image));
        Assert.Equal(ErrorCatalog.MediaAspectRatioUnsupported, MediaSpecs.Check(PlatformNames.Instagram, "feed", MediaTypes.Image, image with { Width = 1000, Height = 400 })?.Error);
        Assert.Equal(ErrorCatalog.MediaTooLarge, MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Image, image with { Length = 9L * 1024 * 1024 })?.Error);
        Assert.Equal(ErrorCatalog.MediaUnsupportedFormat, MediaSpecs.Check(PlatformNames.Instagram, MediaTypes.Image, image with { Format = MediaFormat.Png })?.Error);
        Assert.Null(MediaSpecs.Check(PlatformNames.Facebook, MediaTypes.Image, image with { Format = MediaFormat.Png }));
        Assert.Equal(ErrorCatalog.MediaUnsupportedFormat, MediaSpecs.Check(PlatformNames.Facebook, MediaTypes.Video, image)?.Error);
    }

    [Fact]
    public void An_instagram_story_is_held_to_its_own_row_of_the_specification_and_a_reel_to_3_seconds_to_15_minutes_and_300_mb()
    {
        // Reference §13.8: story video 3–60 s, ≤ 100 MB, ≤ 1920 px wide, 0.1:1 – 10:1; story image JPEG ≤ 8 MB (9:16 only
        // recommended); Reel 3 s – 15 min, ≤ 300 MB, 0.01:1 – 10:1.
        var video = new MediaFacts { Format = MediaFormat.Mp4, FormatFromBytes = true, Length = 5_000_000, Duration = TimeSpan.FromSeconds(60), Width = 1080, Height = 1920, VideoCodec = "avc1", HasMovieBox = true };
        Assert.Null(MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Video, video));
        Assert.Equal(ErrorCatalog.MediaDurationOutOfRange, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Video, video with { Duration = TimeSpan.FromSeconds(61) })?.Error);
        Assert.Equal(ErrorCatalog.MediaDurationOutOfRange, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Video, video with { Duration = TimeSpan.FromSeconds(2.5) })?.Error);
        Assert.Equal(ErrorCatalog.MediaTooLarge, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Video, video with { Length = 101L * 1024 * 1024 })?.Error);
        Assert.Equal(ErrorCatalog.MediaResolutionUnsupported, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Video, video with { Width = 2160, Height = 3840 })?.Error);
        Assert.Equal(ErrorCatalog.MediaAspectRatioUnsupported, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Video, video with { Width = 100, Height = 1200 })?.Error);

        Assert.Null(MediaSpecs.Check(PlatformNames.Instagram, "reels", MediaTypes.Video, video with { Duration = TimeSpan.FromMinutes(15), Length = 299L * 1024 * 1024, Width = 100, Height = 1200 }));
        Assert.Equal(ErrorCatalog.MediaDurationOutOfRange, MediaSpecs.Check(PlatformNames.Instagram, "reels", MediaTypes.Video, video with { Duration = TimeSpan.FromMinutes(15.1) })?.Error);
        Assert.Equal(ErrorCatalog.MediaTooLarge, MediaSpecs.Check(PlatformNames.Instagram, "reels", MediaTypes.Video, video with { Length = 301L * 1024 * 1024 })?.Error);

        var storyImage = new MediaFacts { Format = MediaFormat.Jpeg, FormatFromBytes = true, Length = 200_000, Width = 1080, Height = 1920 };
        Assert.Null(MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Image, storyImage));
        Assert.Equal(ErrorCatalog.MediaAspectRatioUnsupported, MediaSpecs.Check(PlatformNames.Instagram, "feed", MediaTypes.Image, storyImage)?.Error);
        Assert.Equal(ErrorCatalog.MediaTooLarge, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Image, storyImage with { Length = 9L * 1024 * 1024 })?.Error);
        Assert.Equal(ErrorCatalog.MediaUnsupportedFormat, MediaSpecs.Check(PlatformNames.Instagram, "story", MediaTypes.Image, storyImage with { Format = MediaFormat.Png })?.Error);

        Assert.Null(MediaSpecs.CheckInstagramCover(storyImage));
        Assert.NotNull(MediaSpecs.CheckInstagramCover(storyImage with { Format = MediaFormat.Png }));
        Assert.NotNull(MediaSpecs.CheckInstagramCover(storyImage with { Length = 9L * 1024 * 1024 }));
    }

    /// <summary>An MP4: ftyp, then moov and mdat in either order; one video track stored width×height (with an optional 90° matrix) and one audio track.</summary>
    private static byte[] Mp4(uint durationMs, int width, int height, bool rotation90, bool moovAtEnd, int mediaBytes)
    {
        static byte[] Box(string type, params byte[][] parts)
        {
            var payload = parts.SelectMany(p => p).ToArray();
            var box = new byte[8 + payload.Length];
            BinaryPrimitives.WriteInt32BigEndian(box, box.Length);
            Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
            payload.CopyTo(box, 8);
            return box;
        }
        static byte[] U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); return b; }
        static byte[] Matrix(bool turned) => turned
            ? [.. U32(0), .. U32(0x10000), .. U32(0), .. U32(0xFFFF0000), .. U32(0), .. U32(0), .. U32(0), .. U32(0), .. U32(0x40000000)]
            : [.. U32(0x10000), .. U32(0), .. U32(0), .. U32(0), .. U32(0x10000), .. U32(0), .. U32(0), .. U32(0), .. U32(0x40000000)];
        static byte[] Track(string handler, string codec, uint w, uint h, bool turned) => Box("trak",
            Box("tkhd", new byte[40], Matrix(turned), U32(w << 16), U32(h << 16)),
            Box("mdia", Box("hdlr", new byte[8], Encoding.ASCII.GetBytes(handler), new byte[13]),
                Box("minf", Box("stbl", Box("stsd", U32(0), U32(1), Box(codec, new byte[20]))))));

        var ftyp = Box("ftyp", "isom"u8.ToArray(), U32(0x200), "isomavc1"u8.ToArray());
        var moov = Box("moov", Box("mvhd", U32(0), U32(0), U32(0), U32(1000), U32(durationMs), new byte[80]),
            Track("vide", "avc1", (uint)width, (uint)height, rotation90), Track("soun", "mp4a", 0, 0, false));
        var mdat = Box("mdat", new byte[mediaBytes]);
        return moovAtEnd ? [.. ftyp, .. mdat, .. moov] : [.. ftyp, .. moov, .. mdat];
    }

    /// <summary>A file server that honours single ranges with 206, counting the bytes it sends.</summary>
    private sealed class RangeServer(byte[] file, HttpStatusCode status = HttpStatusCode.OK) : HttpMessageHandler
    {
        public long BytesServed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (status != HttpStatusCode.OK)
                return Task.FromResult(new HttpResponseMessage(status));
            var range = request.Headers.Range!.Ranges.Single();
            var from = range.From!.Value;
            var to = Math.Min(range.To!.Value, file.Length - 1);
            var body = file[(int)from..(int)(to + 1)];
            BytesServed += body.Length;
            var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(body) };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, file.Length);
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            return Task.FromResult(response);
        }
    }
}
