using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.YouTube;
using Orbyt.Uploader.Publishing;

// Relays sandbox Mux assets into sandbox YouTube uploads with the classes the Uploader's YouTube recipe uses
// (RangedHttpStream → YouTubeResumableUpload, admitted by the RelayBudget with the Uploader's default options), and
// reports aggregate throughput and memory. --concurrent N runs N relays of --size-mib each at once.
// Usage: dotnet bench/Relay/bin/Release/net10.0/Orbyt.Bench.Relay.dll --sandbox http://127.0.0.1:5391 --size-mib 256 [--concurrent 16] [--mux-mib-per-s 50]
var sandbox = new Uri(Arg("--sandbox", "http://127.0.0.1:5391").TrimEnd('/') + "/");
var sizeMiB = long.Parse(Arg("--size-mib", "100"));
var concurrent = int.Parse(Arg("--concurrent", "1"));
// Optional pacing of the Mux download (MiB/s), as a CDN far away would: then overlapping download and upload matters.
var throughputMiB = long.Parse(Arg("--mux-mib-per-s", "0"));
using var http = new HttpClient { BaseAddress = sandbox, Timeout = Timeout.InfiniteTimeSpan };

var identity = await PostAsync("_sandbox/identities", new { name = "relay bench" });
var sub = identity.GetProperty("google").GetProperty("sub").GetString();
var grants = await PostAsync("_sandbox/google/grants", new { count = 1, sub });
var refreshToken = grants.GetProperty("refresh_tokens")[0].GetString()!;
using var tokenResponse = await http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
    ["client_id"] = "sandbox-client.apps.googleusercontent.com", ["client_secret"] = "sandbox-google-secret",
}));
var accessToken = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
// The sandbox's per-channel daily upload limit would stop a run of many relays; this measures bytes, not quotas.
await PostAsync("_sandbox/settings", new { youtube_channel_daily_upload_limit = 100_000, youtube_daily_insert_quota = 100_000 });

// As the Uploader wires them: one media client, one upload client (308 is not a redirect), one relay budget.
var options = Options.Create(new UploaderOptions());
var budget = new RelayBudget(options);
using var media = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
using var uploadHttp = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
var uploads = new YouTubeResumableUpload(uploadHttp, Options.Create(new GoogleOptions { YouTubeBaseUrl = new Uri(sandbox, "youtube/") }), TimeProvider.System);

// Warm-up (JIT, connection pools), then the idle baseline.
await RelayAsync(await AssetAsync(8 * 1024 * 1024));
GC.Collect();
GC.WaitForPendingFinalizers();
var idle = Memory("VmRSS");

var size = sizeMiB * 1024 * 1024;
var assets = new List<string>();
for (var i = 0; i < concurrent; i++) assets.Add(await AssetAsync(size));
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var stopwatch = Stopwatch.StartNew();
var videos = await Task.WhenAll(assets.Select(RelayAsync));
stopwatch.Stop();
cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
var peak = Memory("VmHWM");

// Every relay arrived whole, once.
var published = (await http.GetFromJsonAsync<JsonElement>("_sandbox/published?platform=youtube")).GetProperty("data").EnumerateArray()
    .Where(p => videos.Contains(p.GetProperty("id").GetString())).ToList();
var whole = published.Count(p => p.GetProperty("byte_length").GetInt64() == size);
if (published.Count != concurrent || whole != concurrent)
    throw new InvalidOperationException($"{concurrent} relays, {published.Count} videos on the sandbox, {whole} of them whole");

var mibPerSecond = sizeMiB * concurrent / stopwatch.Elapsed.TotalSeconds;
Console.WriteLine($"relay concurrent={concurrent} size_mib={sizeMiB} seconds={stopwatch.Elapsed.TotalSeconds:F2} mib_per_s={mibPerSecond:F1} " +
                  $"cpu_s={cpu.TotalSeconds:F1} idle_rss_mib={idle / 1024.0:F1} peak_rss_mib={peak / 1024.0:F1} peak_above_idle_mib={(peak - idle) / 1024.0:F1} " +
                  $"relay_budget={budget.Capacity}x{budget.BufferSize / 1024}KiB videos={whole}");

async Task<string> AssetAsync(long bytes)
{
    var asset = await PostAsync("_sandbox/mux/assets", new
    {
        size_bytes = bytes,
        ready_after_seconds = 0,
        throughput_bytes_per_second = throughputMiB > 0 ? throughputMiB * 1024 * 1024 : (long?)null,
    });
    return asset.GetProperty("url").GetString()!;
}

async Task<string> RelayAsync(string url)
{
    await using var source = await RangedHttpStream.OpenAsync(media, new Uri(url), CancellationToken.None);
    var session = await uploads.StartAsync(accessToken, new YouTubeVideo
    {
        Snippet = new YouTubeSnippet { Title = "relay", CategoryId = "22" },
        Status = new YouTubeStatus { PrivacyStatus = "private" },
    }, source.Length, "video/mp4", notifySubscribers: false, CancellationToken.None);
    using var relay = await budget.TryEnterAsync(Timeout.InfiniteTimeSpan, CancellationToken.None)
                      ?? throw new InvalidOperationException("no relay admitted");
    var video = await uploads.SendAsync(session, accessToken, source, 0, relay.Buffer, (_, _) => ValueTask.CompletedTask, CancellationToken.None);
    return video.Id!;
}

async Task<JsonElement> PostAsync(string path, object body)
{
    using var response = await http.PostAsJsonAsync(path, body);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadFromJsonAsync<JsonElement>();
}

static long Memory(string field) =>
    long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
