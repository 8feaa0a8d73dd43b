using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Apis.Upload;
using Orbyt.Uploader.Media;
using Orbyt.Uploader.Platforms.YouTube;

// Relays one sandbox Mux asset into a sandbox YouTube upload with the same classes the Uploader's YouTube recipe
// uses (RangedHttpStream → Google.Apis ResumableUpload, 8 MiB chunks), and reports throughput and memory.
// Usage: dotnet run -c Release --project bench/Relay -- --sandbox http://127.0.0.1:5391 --size-mib 1024 [--mux-mib-per-s 50]
var sandbox = new Uri(Arg("--sandbox", "http://127.0.0.1:5391").TrimEnd('/') + "/");
var sizeMiB = long.Parse(Arg("--size-mib", "100"));
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

// Warm-up (JIT, connection pools), then the idle baseline.
await RelayAsync(8 * 1024 * 1024);
GC.Collect();
GC.WaitForPendingFinalizers();
var idle = Memory("VmRSS");

var size = sizeMiB * 1024 * 1024;
var stopwatch = Stopwatch.StartNew();
var videoId = await RelayAsync(size);
stopwatch.Stop();
var peak = Memory("VmHWM");
var mibPerSecond = sizeMiB / stopwatch.Elapsed.TotalSeconds;
Console.WriteLine($"relay size_mib={sizeMiB} seconds={stopwatch.Elapsed.TotalSeconds:F2} mib_per_s={mibPerSecond:F1} idle_rss_mib={idle / 1024.0:F1} peak_rss_mib={peak / 1024.0:F1} peak_above_idle_mib={(peak - idle) / 1024.0:F1} video={videoId}");

async Task<string> RelayAsync(long bytes)
{
    var asset = await PostAsync("_sandbox/mux/assets", new
    {
        size_bytes = bytes,
        ready_after_seconds = 0,
        throughput_bytes_per_second = throughputMiB > 0 ? throughputMiB * 1024 * 1024 : (long?)null,
    });
    using var media = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    await using var source = await RangedHttpStream.OpenAsync(media, new Uri(asset.GetProperty("url").GetString()!), CancellationToken.None);
    using var service = YouTubeUploads.CreateService(new Uri(sandbox, "youtube/"), accessToken);
    var upload = YouTubeUploads.CreateInsert(service, new YouTubeVideo
    {
        Snippet = new YouTubeSnippet { Title = "relay", CategoryId = "22" },
        Status = new YouTubeStatus { PrivacyStatus = "private" },
    }, source, notifySubscribers: false);
    var session = await upload.InitiateSessionAsync(CancellationToken.None);
    var result = await upload.ResumeAsync(session, CancellationToken.None);
    if (result.Status != UploadStatus.Completed) throw new InvalidOperationException("Upload failed", result.Exception);
    return upload.ResponseBody.Id!;
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
