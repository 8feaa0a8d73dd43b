using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class MuxStreamTests(SandboxFixture sandbox) : IAsyncLifetime
{
    public Task InitializeAsync() => sandbox.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_rendition_is_404_code_5_until_ready_then_served_as_an_mp4_with_the_announced_hash()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 500_000, ready_after_seconds = 120 });
        var url = asset["url"]!.GetValue<string>();

        var early = await sandbox.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal(5, JsonNode.Parse(await early.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());

        await sandbox.AdvanceClockAsync(121);
        var bytes = await sandbox.Http.GetByteArrayAsync(url);
        Assert.Equal(500_000, bytes.Length);
        Assert.Equal("ftyp", Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.Equal(asset["sha256"]!.GetValue<string>(), FlowHelpers.Sha256(bytes));
        Assert.Equal(bytes, await sandbox.Http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task A_range_request_gets_206_with_exactly_those_bytes_and_HEAD_reports_the_length()
    {
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 100_000 });
        var url = asset["url"]!.GetValue<string>();
        var whole = await sandbox.Http.GetByteArrayAsync(url);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        var partial = await sandbox.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("bytes 1000-1999/100000", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(whole[1000..2000], await partial.Content.ReadAsByteArrayAsync());

        var head = await sandbox.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(100_000, head.Content.Headers.ContentLength);
        Assert.Contains("bytes", head.Headers.AcceptRanges);
    }

    [Fact]
    public async Task A_throughput_capped_asset_is_delivered_at_about_that_rate_and_still_serves_ranges()
    {
        const int rate = 400_000;
        var asset = await sandbox.PostControlAsync("_sandbox/mux/assets", new { size_bytes = 600_000, throughput_bytes_per_second = rate });
        var url = asset["url"]!.GetValue<string>();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var bytes = await sandbox.Http.GetByteArrayAsync(url);
        var elapsed = watch.Elapsed.TotalSeconds;
        Assert.Equal(asset["sha256"]!.GetValue<string>(), FlowHelpers.Sha256(bytes));
        // 600 kB at 400 kB/s is 1.5 s; the bounds are wide because the machine is shared.
        Assert.InRange(elapsed, 0.75, 4.5);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(400_000, 599_999);
        watch.Restart();
        var partial = await sandbox.Http.SendAsync(request);
        var tail = await partial.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[400_000..], tail);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.25, 3);
    }

    [Fact]
    public async Task The_media_routes_serve_a_real_jpeg_and_a_png()
    {
        var jpeg = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.jpg");
        var png = await sandbox.Http.GetByteArrayAsync("_sandbox/media/image.png");
        Assert.Equal([0xFF, 0xD8, 0xFF], jpeg[..3]);
        Assert.Equal((byte)0x89, png[0]);
    }
}
