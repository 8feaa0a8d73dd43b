using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Orbyt.Core.Media;

/// <summary>
/// Looks at a media file without downloading it: one ranged GET of the first 64 KiB gives the status (404: not
/// ready; 401/403: refused), the total length (<c>Content-Range</c>), the Content-Type and the magic number; an image's
/// size is in those bytes. For MP4/MOV the top-level boxes are walked with 16-byte ranged reads to the <c>moov</c> box
/// — which may sit after the media data, at the end of the file — and that box alone is read. A few requests and a
/// few kilobytes whatever the file's size. The client given must be the SSRF-guarded media client.
/// </summary>
public sealed class MediaProbe(HttpClient http)
{
    public const int HeadBytes = 64 * 1024;
    /// <summary>A larger <c>moov</c> (hours of video) is not read; the facts then leave duration and tracks unknown.</summary>
    public const int MaxMovieBoxBytes = 32 * 1024 * 1024;
    private const int MaxTopLevelBoxes = 64;

    public async Task<MediaProbeResult> ProbeAsync(Uri url, CancellationToken ct)
    {
        try
        {
            var head = await ReadAsync(url, 0, HeadBytes - 1, ct);
            if (head is not RangeRead.Ok first)
                return ((RangeRead.Status)head).Result;

            var format = MediaSniffer.Format(first.Bytes);
            var fromBytes = format != MediaFormat.Unknown;
            if (!fromBytes)
                format = MediaFormatExtensions.FromContentType(first.ContentType);
            var facts = new MediaFacts { Length = first.Total, ContentType = first.ContentType, Format = format, FormatFromBytes = fromBytes };
            if (format.IsImage() && MediaSniffer.ImageSize(format, first.Bytes) is var (width, height))
                facts = facts with { Width = width, Height = height };
            else if (fromBytes && format.IsIsoBmff() && first.Total is { } total)
                facts = await MovieFactsAsync(url, first.Bytes, total, facts, ct);
            return new MediaProbeResult.Ready(facts);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new MediaProbeResult.Failed(e is TaskCanceledException ? "timed out" : e.Message);
        }
    }

    /// <summary>Walks the top-level boxes to <c>moov</c> and reads it.</summary>
    private async Task<MediaFacts> MovieFactsAsync(Uri url, byte[] head, long total, MediaFacts facts, CancellationToken ct)
    {
        long at = 0;
        var sawMediaData = false;
        for (var i = 0; i < MaxTopLevelBoxes && at + 8 <= total; i++)
        {
            var header = at + 16 <= head.Length ? head.AsMemory((int)at, 16).ToArray()
                : await ReadBytesAsync(url, at, Math.Min(at + 15, total - 1), ct);
            if (header.Length < 8) break;
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = Encoding.ASCII.GetString(header, 4, 4);
            var headerLength = 8;
            if (size == 1 && header.Length >= 16)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                headerLength = 16;
            }
            else if (size == 0)
                size = total - at;
            if (size < headerLength || at + size > total) break;

            if (type == "moov")
            {
                if (size > MaxMovieBoxBytes)
                    return facts with { HasMovieBox = true, MovieBoxFirst = !sawMediaData };
                var box = at + size <= head.Length ? head.AsMemory((int)at, (int)size).ToArray() : await ReadBytesAsync(url, at, at + size - 1, ct);
                if (box.Length != size) break;
                var movie = Mp4Movie.Parse(box.AsSpan(headerLength));
                return facts with
                {
                    HasMovieBox = true,
                    MovieBoxFirst = !sawMediaData,
                    Duration = movie.Duration,
                    Width = movie.Width,
                    Height = movie.Height,
                    VideoCodec = movie.VideoCodec,
                    AudioCodec = movie.AudioCodec,
                };
            }
            sawMediaData |= type == "mdat";
            at += size;
        }
        return facts with { HasMovieBox = false };
    }

    private async Task<byte[]> ReadBytesAsync(Uri url, long from, long to, CancellationToken ct) =>
        await ReadAsync(url, from, to, ct) is RangeRead.Ok { Bytes: var bytes } ? bytes : [];

    private abstract record RangeRead
    {
        public sealed record Ok(byte[] Bytes, long? Total, string? ContentType) : RangeRead;
        public sealed record Status(MediaProbeResult Result) : RangeRead;
    }

    /// <summary>
    /// GET with <c>Range: bytes=from-to</c>. A 206 gives the total from Content-Range; a 200 (the Range ignored) is read
    /// only as far as needed, from the start of the file, and only for a range that starts at 0.
    /// </summary>
    private async Task<RangeRead> ReadAsync(Uri url, long from, long to, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(from, to);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound or HttpStatusCode.Gone:
                return new RangeRead.Status(new MediaProbeResult.NotReady());
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return new RangeRead.Status(new MediaProbeResult.Refused((int)response.StatusCode));
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                // An empty file: nothing at byte 0.
                return new RangeRead.Ok([], response.Content.Headers.ContentRange?.Length ?? 0, response.Content.Headers.ContentType?.MediaType);
            case HttpStatusCode.PartialContent:
            case HttpStatusCode.OK when from == 0:
                break;
            default:
                return new RangeRead.Status(new MediaProbeResult.Failed($"HTTP {(int)response.StatusCode}", (int)response.StatusCode));
        }
        var total = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.Length : response.Content.Headers.ContentLength;
        var wanted = (int)Math.Min(to - from + 1, int.MaxValue);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[Math.Min(wanted, total is { } t ? (int)Math.Min(t - from, wanted) : wanted)];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), ct)) > 0)
            read += n;
        return new RangeRead.Ok(read == buffer.Length ? buffer : buffer[..read], total, response.Content.Headers.ContentType?.MediaType);
    }
}
