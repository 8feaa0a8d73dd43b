using System.Net;
using Orbyt.Core.Media;

namespace Orbyt.Uploader.Media;

/// <summary>
/// A photo read from its media URL to be pushed to a platform: one plain GET through the SSRF-guarded media client
/// (image hosts need not serve ranges or HEAD), its length bounded, its format read from its first bytes. The body is
/// streamed with those first bytes given back in front, so the photo is never held whole — except when the host sends
/// no Content-Length: then at most <c>maxBytes + 1</c> bytes are read into memory to learn it.
/// </summary>
public sealed class PhotoDownload : IAsyncDisposable
{
    private const int HeadLength = 32;
    private readonly HttpResponseMessage _response;

    private PhotoDownload(HttpResponseMessage response, Stream content, long length, MediaFormat format)
    {
        _response = response;
        Content = content;
        Length = length;
        Format = format;
    }

    /// <summary>The photo's bytes from the first; read once, forward.</summary>
    public Stream Content { get; }

    /// <summary>The photo's length; more than the bound given to <see cref="OpenAsync"/> means it is too large (not read further).</summary>
    public long Length { get; }

    /// <summary>From the magic number, else the Content-Type.</summary>
    public MediaFormat Format { get; }

    /// <summary>Opens the photo. A 404 is <see cref="MediaNotReadyException"/>; any other failure status an <see cref="HttpRequestException"/> with it.</summary>
    public static async Task<PhotoDownload> OpenAsync(HttpClient http, Uri url, long maxBytes, CancellationToken ct)
    {
        var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw new MediaNotReadyException();
            response.EnsureSuccessStatusCode();
            var declared = response.Content.Headers.ContentLength;
            if (declared > maxBytes)
                return new PhotoDownload(response, Stream.Null, declared.Value, MediaFormat.Unknown);
            var body = await response.Content.ReadAsStreamAsync(ct);
            var head = new byte[HeadLength];
            var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            var format = MediaSniffer.Format(head.AsSpan(0, read)) is var sniffed and not MediaFormat.Unknown
                ? sniffed
                : MediaFormatExtensions.FromContentType(response.Content.Headers.ContentType?.MediaType);
            if (declared is { } length)
                return new PhotoDownload(response, new PrefixedStream(head.AsMemory(0, read), body), length, format);

            // No Content-Length: the length must be known before the post (its body has one), so the photo is read
            // into memory, never more than the bound allows.
            var memory = new MemoryStream();
            memory.Write(head, 0, read);
            var buffer = new byte[81920];
            int n;
            while (memory.Length <= maxBytes && (n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, maxBytes + 1 - memory.Length)), ct)) > 0)
                memory.Write(buffer, 0, n);
            memory.Position = 0;
            return new PhotoDownload(response, memory, memory.Length, format);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        _response.Dispose();
    }

    /// <summary>A forward-only stream of some bytes already read, then the rest of the body.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
                return await rest.ReadAsync(buffer, cancellationToken);
            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..count].CopyTo(buffer);
            _prefix = _prefix[count..];
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
