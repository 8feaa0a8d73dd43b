using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// Requests HttpClient refuses to send (a NUL or a non-ASCII byte in a header, a raw <c>%00</c> path, a 12 KB request
/// line, a body without Content-Type), written byte for byte to the API's socket; the answer as status, headers, body.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        /// <summary>The media type alone (no parameters).</summary>
        public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value.Split(';')[0].Trim() : null;
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    public static async Task<Answer> SendAsync(Uri api, byte[] request)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(api.Host, api.Port, cts.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request, cts.Token);
        // Every request here ends the connection (Connection: close, or Kestrel closes it after a rejection).
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, cts.Token);
        var text = Encoding.Latin1.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no HTTP answer: {text}");
        var lines = text[..split].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = text[(split + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new Answer(int.Parse(lines[0].AsSpan(9, 3)), headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..lineEnd].Split(';')[0], 16);
            if (size == 0) return body.ToString();
            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /// <summary>A request line and headers (with Host and Connection: close added) and an optional body, as bytes.</summary>
    public static byte[] Build(Uri api, string requestLine, IEnumerable<byte[]> headerLines, string? body = null)
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: {api.Authority}\r\nConnection: close\r\n"));
        foreach (var line in headerLines)
            bytes.AddRange([.. line, (byte)'\r', (byte)'\n']);
        if (body is not null) bytes.AddRange(Encoding.ASCII.GetBytes($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n"));
        bytes.AddRange("\r\n"u8.ToArray());
        if (body is not null) bytes.AddRange(Encoding.UTF8.GetBytes(body));
        return [.. bytes];
    }
}
