using System.Security.Cryptography;

namespace Orbyt.Sandbox.Media;

/// <summary>
/// Fetches media URLs the way Meta does ("we cURL media"): over real HTTP, streamed, hashed with SHA-256 while
/// reading, the format checked from the first bytes. Nothing is kept but the length and the hash.
/// </summary>
public sealed class MediaFetcher(ILogger<MediaFetcher> logger) : IDisposable
{
    // Its own client: the service-defaults resilience handler would retry an unreachable URL for many seconds,
    // while Meta reports 9004 at once.
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5 })
    {
        Timeout = TimeSpan.FromSeconds(100),
    };

    public async Task<FetchedMedia> FetchAsync(string url, MediaKind kind, long maxBytes, CancellationToken ct, Action<ReadOnlyMemory<byte>>? onBytes = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return new FetchedMedia(FetchOutcome.Unreachable, 0, null, "not an http(s) URL");
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.ParseAdd("facebookexternalhit/1.1");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.MediaFetchFailed(uri.Host, $"HTTP {(int)response.StatusCode}");
                return new FetchedMedia(FetchOutcome.Unreachable, 0, null, $"HTTP {(int)response.StatusCode}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(ct);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var inspector = new MediaInspector();
            var buffer = new byte[81920];
            var head = new byte[16];
            var headLength = 0;
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                    if (headLength >= 12 && !Matches(kind, head.AsSpan(0, headLength)))
                    {
                        return new FetchedMedia(FetchOutcome.WrongFormat, total + read, null, "unexpected file signature");
                    }
                }

                hash.AppendData(buffer, 0, read);
                inspector.Append(buffer.AsSpan(0, read));
                onBytes?.Invoke(buffer.AsMemory(0, read));
                total += read;
                if (total > maxBytes)
                {
                    return new FetchedMedia(FetchOutcome.TooLarge, total, null, $"larger than {maxBytes} bytes");
                }
            }

            if (!Matches(kind, head.AsSpan(0, headLength)))
            {
                return new FetchedMedia(FetchOutcome.WrongFormat, total, null, "unexpected file signature");
            }

            logger.MediaFetched(uri.Host, total);
            return new FetchedMedia(FetchOutcome.Ok, total, Convert.ToHexStringLower(hash.GetHashAndReset()), null, inspector.Shape());
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.MediaFetchFailed(uri.Host, e.GetType().Name);
            return new FetchedMedia(FetchOutcome.Unreachable, 0, null, e.Message);
        }
    }

    public static bool Matches(MediaKind kind, ReadOnlySpan<byte> head) => kind switch
    {
        MediaKind.Jpeg => IsJpeg(head),
        MediaKind.Mp4 => head.Length >= 8 && head[4] == (byte)'f' && head[5] == (byte)'t' && head[6] == (byte)'y' && head[7] == (byte)'p',
        _ => IsJpeg(head)
             || head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])
             || head.StartsWith("GIF8"u8) || head.StartsWith("BM"u8)
             || head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)
             || (head.StartsWith("RIFF"u8) && head.Length >= 12 && head[8..12].SequenceEqual("WEBP"u8)),
    };

    private static bool IsJpeg(ReadOnlySpan<byte> head) => head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;

    public void Dispose() => _http.Dispose();
}
