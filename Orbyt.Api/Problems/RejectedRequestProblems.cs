using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Orbyt.Api.Problems;

/// <summary>
/// Kestrel answers requests it cannot parse (a bad request line, <c>%00</c> in the path, a NUL or non-ASCII byte in a
/// header, a request line over 8 KB, headers over 32 KB, headers arriving too slowly) by itself, before any middleware
/// runs, with an empty body; nothing in ASP.NET Core can change those answers. This connection middleware recognises
/// them on their way out and gives them a problem body with a catalog code, so every error the API sends is
/// application/problem+json.
/// </summary>
public static class RejectedRequestProblems
{
    public static void UseProblemsForRejectedRequests(this ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new RewritingTransport(transport.Input, new RejectionRewritingWriter(transport.Output, connection.ConnectionId));
            return next(connection);
        });

    private sealed class RewritingTransport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>
    /// The bytes of one write, when they are exactly Kestrel's answer to a request it rejected, rewritten with a problem
    /// body; otherwise null. Kestrel's answer is a status line of 4xx/5xx followed by Content-Length: 0, Connection: close,
    /// Date and (optionally) Server and nothing else. The API's own errors always carry a body and a Content-Type
    /// (UseStatusCodePages gives every bodiless one a problem), so they never match.
    /// </summary>
    public static byte[]? TryRewrite(ReadOnlySpan<byte> written, string traceId)
    {
        if (written.Length > MaxRejectionLength || !written.StartsWith("HTTP/1.1 "u8) || !written.EndsWith("\r\n\r\n"u8))
            return null;
        var text = Encoding.ASCII.GetString(written);
        var lines = text[..^4].Split("\r\n");
        if (!int.TryParse(lines[0].AsSpan(9, 3), out var status) || ForStatus(status) is not { } error)
            return null;
        var kept = new List<string>();
        bool emptyBody = false, closing = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) return null;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) emptyBody = value == "0";
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) closing = value.Equals("close", StringComparison.OrdinalIgnoreCase);
            else if (name.Equals("Date", StringComparison.OrdinalIgnoreCase) || name.Equals("Server", StringComparison.OrdinalIgnoreCase)) kept.Add(line);
            else return null;
        }
        if (!emptyBody || !closing) return null;

        var body = ProblemResults.Serialize(ProblemResults.Create(error, instance: null, traceId,
            detail: $"{error.Description} The server rejected the request before reading it."));
        var head = new StringBuilder(lines[0]).Append("\r\n")
            .Append("Content-Type: ").Append(ProblemResults.ContentType).Append("\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var line in kept) head.Append(line).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    /// <summary>Kestrel's rejection answers are about 120 bytes; anything much longer is not one.</summary>
    private const int MaxRejectionLength = 512;

    /// <summary>The catalog entry for each status Kestrel rejects requests with (its RequestRejectionReason list).</summary>
    private static Core.Errors.ErrorDefinition? ForStatus(int status) => status switch
    {
        400 => Core.Errors.ErrorCatalog.MalformedRequest,
        _ => ProblemResults.ForBodilessStatus(status),
    };

    /// <summary>
    /// Forwards everything to the transport; a write that is a whole Kestrel rejection (always the connection's last) is
    /// replaced by its problem version before it is committed.
    /// </summary>
    private sealed class RejectionRewritingWriter(PipeWriter inner, string connectionId) : PipeWriter
    {
        private Memory<byte> _lent;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            if (bytes > 0 && bytes <= _lent.Length && TryRewrite(_lent.Span[..bytes], connectionId) is { } problem)
            {
                // The lent memory is only scratch until advanced: commit the replacement instead.
                inner.Write(problem);
                return;
            }
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;
        public override long UnflushedBytes => inner.UnflushedBytes;
    }
}
