using System.Text;

namespace Orbyt.Sandbox.Http;

internal static class SandboxHttp
{
    /// <summary>The sandbox's public base URL (scheme, host and PathBase of the request), without a trailing slash.</summary>
    public static string PublicBase(this HttpContext context) =>
        $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";

    /// <summary>Which faked platform a path belongs to (used to match faults), or null for the control API.</summary>
    public static string? PlatformOf(string path)
    {
        if (path.StartsWith("/graph", StringComparison.Ordinal) || path.StartsWith("/rupload/", StringComparison.Ordinal)
            || path.StartsWith("/facebook/", StringComparison.Ordinal) || path.StartsWith("/instagram", StringComparison.Ordinal))
        {
            // /graph-instagram/, /instagram/ and /instagram-api/ (Instagram Login) are Meta's too.
            return "meta";
        }

        if (path.StartsWith("/google-", StringComparison.Ordinal))
        {
            return "google";
        }

        if (path.StartsWith("/youtube/", StringComparison.Ordinal))
        {
            return "youtube";
        }

        return path.StartsWith("/mux-stream/", StringComparison.Ordinal) || path.StartsWith("/mux-image/", StringComparison.Ordinal) ? "mux" : null;
    }

    public static string HtmlEncode(string? value) => System.Net.WebUtility.HtmlEncode(value ?? "");

    public static IResult Html(string body, int status = 200) =>
        Results.Content(body, "text/html; charset=utf-8", Encoding.UTF8, status);

    /// <summary>Appends query parameters to a redirect URI that may already have a query.</summary>
    public static string AppendQuery(string uri, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var builder = new StringBuilder(uri);
        var separator = uri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (key, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(FormEscape(value));
            separator = '&';
        }

        return builder.ToString();
    }

    /// <summary>application/x-www-form-urlencoded escaping (spaces as '+'), as the platforms' redirects use.</summary>
    public static string FormEscape(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>Reads a request body stream to its end in buffers, handing each buffer to <paramref name="sink"/>.</summary>
    public static async Task<long> PumpAsync(Stream body, Func<ReadOnlyMemory<byte>, ValueTask> sink, long? limit, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long total = 0;
            while (limit is null || total < limit)
            {
                var want = limit is null ? buffer.Length : (int)Math.Min(buffer.Length, limit.Value - total);
                var read = await body.ReadAsync(buffer.AsMemory(0, want), ct);
                if (read == 0)
                {
                    break;
                }

                await sink(buffer.AsMemory(0, read));
                total += read;
            }

            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
