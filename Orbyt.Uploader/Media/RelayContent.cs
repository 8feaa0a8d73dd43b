namespace Orbyt.Uploader.Media;

/// <summary>
/// A request body of the next <c>length</c> bytes of a source stream, copied through the relay's own buffer (from the
/// <see cref="RelayBudget"/>) with async reads and writes only — no chunk held in memory, no thread blocked on the
/// source. <c>progress</c> hears the bytes written so far after each write.
/// </summary>
public sealed class RelayContent(Stream source, long length, Memory<byte> buffer, Func<long, CancellationToken, ValueTask>? progress = null) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        long sent = 0;
        while (sent < length)
        {
            var read = await source.ReadAsync(buffer[..(int)Math.Min(buffer.Length, length - sent)], cancellationToken);
            if (read == 0) throw new IOException($"The source ended after {sent} of {length} bytes.");
            await stream.WriteAsync(buffer[..read], cancellationToken);
            sent += read;
            if (progress is not null) await progress(sent, cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = length;
        return true;
    }
}
