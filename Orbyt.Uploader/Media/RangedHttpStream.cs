using System.Net;
using System.Net.Http.Headers;

namespace Orbyt.Uploader.Media;

/// <summary>
/// A read-only, seekable view of a remote file: reads stream from one ranged GET and a seek (e.g. an upload resuming
/// from the platform's committed offset) reopens the request at the new position. Reads as large as
/// <see cref="BufferSize"/> (the relays' 1 MiB buffers) go straight to the socket; smaller ones are served from one
/// buffer of that size, allocated only if a caller reads small (4 KiB reads cost one socket read each before).
/// </summary>
public sealed class RangedHttpStream : Stream
{
    public const int BufferSize = 256 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _url;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _position;
    private byte[]? _buffer;
    private int _buffered;
    private int _consumed;

    private RangedHttpStream(HttpClient http, Uri url, long length)
    {
        _http = http;
        _url = url;
        Length = length;
    }

    /// <summary>Opens the file: a HEAD for its length. A 404 means the rendition is not ready (Mux).</summary>
    public static async Task<RangedHttpStream> OpenAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        using var head = new HttpRequestMessage(HttpMethod.Head, url);
        using var response = await http.SendAsync(head, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new MediaNotReadyException();
        response.EnsureSuccessStatusCode();
        var length = response.Content.Headers.ContentLength ?? throw new HttpRequestException("The media server did not say how long the file is.");
        return new RangedHttpStream(http, url, length);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length { get; }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        if (target < 0 || target > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        if (target != _position) CloseBody();
        _position = target;
        return _position;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        _consumed < _buffered ? FromBuffer(buffer.AsSpan(offset, count)) : ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.Length == 0) return 0;
        if (_consumed < _buffered) return FromBuffer(buffer.Span);
        if (_body is null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, _url);
            request.Headers.Range = new RangeHeaderValue(_position, null);
            _response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (_response.StatusCode == HttpStatusCode.NotFound) throw new MediaNotReadyException();
            _response.EnsureSuccessStatusCode();
            if (_position > 0 && _response.StatusCode != HttpStatusCode.PartialContent)
                throw new HttpRequestException("The media server ignored the Range header.");
            _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
        }
        // Large reads go straight into the caller's buffer; small ones are served from one large socket read.
        if (buffer.Length >= BufferSize)
        {
            var direct = EnsureNotEnded(await _body.ReadAsync(buffer, cancellationToken));
            _position += direct;
            return direct;
        }
        _buffer ??= new byte[BufferSize];
        _buffered = EnsureNotEnded(await _body.ReadAsync(_buffer, cancellationToken));
        _consumed = 0;
        return FromBuffer(buffer.Span);
    }

    private int EnsureNotEnded(int read) =>
        read == 0 && _position < Length ? throw new IOException($"The media stream ended at {_position} of {Length} bytes.") : read;

    private int FromBuffer(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _buffered - _consumed);
        _buffer.AsSpan(_consumed, count).CopyTo(destination);
        _consumed += count;
        _position += count;
        return count;
    }

    /// <summary>Forgets the open response (after a failed copy, say), so the next read starts a new ranged GET at <see cref="Position"/>.</summary>
    public void Reopen() => CloseBody();

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void CloseBody()
    {
        _buffered = _consumed = 0;
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) CloseBody();
        base.Dispose(disposing);
    }
}
