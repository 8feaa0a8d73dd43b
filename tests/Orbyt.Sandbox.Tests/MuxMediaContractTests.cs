using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

/// <summary>
/// Mux as the reference describes it (§7, §16): renditions with a real moov box wherever it sits, image.mux.com
/// thumbnails of real sizes, signed playback ids that answer 403 without a valid token; and Meta refusing what
/// its specs refuse (§4.4, §13.8) in files it fetched.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class MuxMediaContractTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_rendition_carries_a_moov_box_with_the_assets_duration_and_display_size_before_or_after_mdat(bool moovAtEnd)
    {
        // §7.2: files[] report width/height; §16.5: a client reads the moov with ranged GETs — it may sit at the end.
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 200_000, duration_seconds = 12.5, width = 1080, height = 1920, moov_at_end = moovAtEnd });
        var bytes = await sandbox.Http.GetByteArrayAsync(asset["url"]!.GetValue<string>());

        var boxes = TopLevelBoxes(bytes);
        Assert.Equal(moovAtEnd ? ["ftyp", "mdat", "moov"] : ["ftyp", "moov", "mdat"], boxes.Select(b => b.Type).ToArray());
        Assert.Equal(bytes.Length, boxes.Sum(b => b.Size));
        var moov = boxes.Single(b => b.Type == "moov");
        var mvhd = IndexOf(bytes, "mvhd", moov.At);
        Assert.Equal(12_500u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(mvhd + 20)) * 1000 / BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(mvhd + 16)));
        var tkhd = IndexOf(bytes, "tkhd", moov.At);
        Assert.Equal(1080u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(tkhd + 4 + 76)) >> 16);
        Assert.Equal(1920u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(tkhd + 4 + 80)) >> 16);
        Assert.True(IndexOf(bytes, "avc1", moov.At) > 0 && IndexOf(bytes, "mp4a", moov.At) > 0);
        Assert.Equal(asset["sha256"]!.GetValue<string>(), FlowHelpers.Sha256(bytes));
    }

    [Fact]
    public async Task A_rendition_not_ready_answers_404_code_5_and_the_same_url_serves_once_the_mp4_is_made()
    {
        // §16.2: MP4s are made after HLS; until then the file URL is 404 {"code":5,"message":"Not Found"}.
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 50_000, ready_after_seconds = 300 });
        var url = asset["url"]!.GetValue<string>();
        using (var early = await RangeAsync(url, 0, 15))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
            Assert.Equal("{\"code\":5,\"message\":\"Not Found\"}", await early.Content.ReadAsStringAsync());
        }

        await sandbox.AdvanceClockAsync(301);
        using var ready = await RangeAsync(url, 0, 15);
        Assert.Equal(HttpStatusCode.PartialContent, ready.StatusCode);
        Assert.Equal("bytes 0-15/50000", ready.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Image_mux_com_serves_real_thumbnails_of_the_asset_or_the_asked_size_and_refuses_an_unknown_fit_mode()
    {
        // §16.4: thumbnail.{jpg,png} with width/height/fit_mode; 400 {"code":3,"message":"Unrecognized fit-mode"}.
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { width = 1920, height = 1080 });
        var image = asset["image_url"]!.GetValue<string>();

        var full = await sandbox.Http.GetAsync(image);
        Assert.Equal("image/jpeg", full.Content.Headers.ContentType!.MediaType);
        Assert.Equal((1920, 1080), JpegSize(await full.Content.ReadAsByteArrayAsync()));
        Assert.Equal((640, 360), JpegSize(await sandbox.Http.GetByteArrayAsync(image + "?width=640")));
        Assert.Equal((400, 225), JpegSize(await sandbox.Http.GetByteArrayAsync(image + "?width=400&height=400")));
        Assert.Equal((400, 400), JpegSize(await sandbox.Http.GetByteArrayAsync(image + "?width=400&height=400&fit_mode=crop")));
        var png = await sandbox.Http.GetByteArrayAsync(image.Replace("thumbnail.jpg", "thumbnail.png") + "?width=100");
        Assert.Equal("PNG", Encoding.ASCII.GetString(png, 1, 3));
        Assert.Equal(100, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));

        var bad = await sandbox.Http.GetAsync(image + "?fit_mode=zoom");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("Unrecognized fit-mode", JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await sandbox.Http.GetAsync(image.Replace("sandboxplayback", "unknownplayback"))).StatusCode);
    }

    [Fact]
    public async Task A_signed_playback_id_answers_403_without_a_token_or_with_an_expired_foreign_or_wrong_audience_token()
    {
        // §16.3: missing, expired, wrong-sub, wrong-aud and malformed tokens all answer 403.
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 60_000, policy = "signed" });
        var id = asset["asset_id"]!.GetValue<string>();
        var signed = await sandbox.PostControlAsync($"_sandbox/mux/assets/{id}/signed-url", new { expires_in_seconds = 3600 });
        var url = signed["url"]!.GetValue<string>();
        var bare = asset["url"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Forbidden, (await RangeAsync(bare, 0, 15)).StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, (await RangeAsync(url, 0, 15)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await RangeAsync(bare + "?token=not.a.jwt", 0, 15)).StatusCode);
        var foreign = await sandbox.PostControlAsync($"_sandbox/mux/assets/{id}/signed-url", new { sub = "someotherplaybackid" });
        Assert.Equal(HttpStatusCode.Forbidden, (await RangeAsync(foreign["url"]!.GetValue<string>(), 0, 15)).StatusCode);
        var thumbnailToken = await sandbox.PostControlAsync($"_sandbox/mux/assets/{id}/signed-url", new { aud = "t" });
        Assert.Equal(HttpStatusCode.Forbidden, (await RangeAsync($"{bare}?token={thumbnailToken["token"]}", 0, 15)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.Http.GetAsync(thumbnailToken["url"]!.GetValue<string>())).StatusCode);

        // The token's exp is a JWT claim anyone can read (no verification needed to read it).
        var exp = JsonNode.Parse(Base64Url(url.Split("token=")[1].Split('.')[1]))!["exp"]!.GetValue<long>();
        Assert.Equal(signed["exp"]!.GetValue<long>(), exp);
        await sandbox.AdvanceClockAsync(3601);
        Assert.Equal(HttpStatusCode.Forbidden, (await RangeAsync(url, 0, 15)).StatusCode);
    }

    [Fact]
    public async Task Instagram_refuses_an_image_outside_4_5_to_1_91_with_36003_2207009_and_takes_one_inside()
    {
        var (token, _, igId) = await FlowHelpers.MetaAccountAsync(sandbox);
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { width = 1920, height = 1080 });
        var image = asset["image_url"]!.GetValue<string>();

        var tooWide = await sandbox.PostGraphAsync($"{igId}/media", new() { ["image_url"] = image + "?width=1000&height=400&fit_mode=stretch", ["access_token"] = token });
        Assert.Equal((36003, 2207009), FlowHelpers.GraphError(tooWide));
        var tooTall = await sandbox.PostGraphAsync($"{igId}/media", new() { ["image_url"] = image + "?width=400&height=1000&fit_mode=stretch", ["access_token"] = token });
        Assert.Equal((36003, 2207009), FlowHelpers.GraphError(tooTall));
        var inside = await sandbox.PostGraphAsync($"{igId}/media", new() { ["image_url"] = image + "?width=1080", ["access_token"] = token });
        Assert.NotNull(inside["id"]);
    }

    [Theory]
    [InlineData(2.0, 1080, 1920, "ERROR")]
    [InlineData(901.0, 1080, 1920, "ERROR")]
    [InlineData(30.0, 2160, 3840, "ERROR")]
    [InlineData(30.0, 1080, 1920, "FINISHED")]
    public async Task Instagram_fails_a_reel_outside_3s_to_15min_or_wider_than_1920_as_container_error_2207026(double seconds, int width, int height, string expected)
    {
        // §13.8: Reels 3 s – 15 min, at most 1920 px wide; spec violations surface as container ERROR 2207026.
        var (token, _, igId) = await FlowHelpers.MetaAccountAsync(sandbox);
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 80_000, duration_seconds = seconds, width, height });
        var container = await sandbox.PostGraphAsync($"{igId}/media", new() { ["video_url"] = asset["url"]!.GetValue<string>(), ["media_type"] = "REELS", ["access_token"] = token });
        var id = container["id"]!.GetValue<string>();
        await sandbox.AdvanceClockAsync(31);

        var status = await sandbox.GetJsonAsync($"graph/v24.0/{id}?fields=status_code,status&access_token={token}");
        Assert.Equal(expected, status["status_code"]!.GetValue<string>());
        if (expected == "ERROR")
        {
            Assert.Contains("2207026", status["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_fault_with_a_user_agent_filter_fails_only_metas_fetches_of_a_media_url()
    {
        // §2.4: hosted URLs must allow facebookexternalhit; a host that blocks it fails Meta's fetch (9004/2207052)
        // while anyone else still reads the file.
        var (token, _, igId) = await FlowHelpers.MetaAccountAsync(sandbox);
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 80_000 });
        var url = asset["url"]!.GetValue<string>();
        await sandbox.FaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 5 });

        Assert.Equal(HttpStatusCode.PartialContent, (await RangeAsync(url, 0, 15)).StatusCode);
        var container = await sandbox.PostGraphAsync($"{igId}/media", new() { ["video_url"] = url, ["media_type"] = "REELS", ["access_token"] = token });
        Assert.Equal((9004, 2207052), FlowHelpers.GraphError(container));
    }

    private Task<HttpResponseMessage> RangeAsync(string url, long from, long to)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(from, to);
        return sandbox.Http.SendAsync(request);
    }

    private static List<(string Type, int At, long Size)> TopLevelBoxes(byte[] file)
    {
        var boxes = new List<(string, int, long)>();
        for (var at = 0; at + 8 <= file.Length;)
        {
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at));
            boxes.Add((Encoding.ASCII.GetString(file, at + 4, 4), at, size));
            at += (int)size;
        }

        return boxes;
    }

    private static int IndexOf(byte[] bytes, string type, int from) => bytes.AsSpan(from).IndexOf(Encoding.ASCII.GetBytes(type)) + from;

    /// <summary>The SOF0 frame size of a baseline JPEG.</summary>
    private static (int, int) JpegSize(byte[] jpeg)
    {
        var sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(sof + 5)));
    }

    private static byte[] Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
