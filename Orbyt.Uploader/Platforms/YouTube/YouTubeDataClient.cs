using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms;

namespace Orbyt.Uploader.Platforms.YouTube;

public sealed class YouTubeDataClient(HttpClient http, IOptions<GoogleOptions> options)
{
    public Uri BaseUrl => options.Value.YouTubeBaseUrl;

    public async Task<YouTubeProcessing> GetProcessingAsync(string videoId, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, $"youtube/v3/videos?part=status,processingDetails&id={Uri.EscapeDataString(videoId)}"));
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        if (!body.TryGetProperty("items", out var items) || items.GetArrayLength() == 0)
            return new YouTubeProcessing(false, null, null, null, null);
        var item = items[0];
        string? Str(string part, string name) => item.TryGetProperty(part, out var p) && p.TryGetProperty(name, out var v) ? v.GetString() : null;
        return new YouTubeProcessing(true, Str("status", "uploadStatus"), Str("status", "failureReason"), Str("status", "rejectionReason"), Str("processingDetails", "processingStatus"),
            Str("status", "privacyStatus"));
    }

    /// <summary>playlistItems.insert (§15.3, 50 units): the video at the end of the playlist; the playlist item's id.</summary>
    public async Task<string> AddToPlaylistAsync(string playlistId, string videoId, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, "youtube/v3/playlistItems?part=snippet"))
        {
            Content = JsonContent.Create(new { snippet = new { playlistId, resourceId = new { kind = "youtube#video", videoId } } }),
        };
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// playlistItems.list filtered to one video (1 unit): the id of the playlist item that holds it, or null. The probe
    /// after an insert whose answer was lost, so the video is never added twice.
    /// </summary>
    public async Task<string?> FindPlaylistItemAsync(string playlistId, string videoId, string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(BaseUrl, $"youtube/v3/playlistItems?part=id&playlistId={Uri.EscapeDataString(playlistId)}&videoId={Uri.EscapeDataString(videoId)}"));
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw await GoogleOAuthClient.ApiErrorAsync(response, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return body.TryGetProperty("items", out var items) && items.GetArrayLength() > 0 ? items[0].GetProperty("id").GetString() : null;
    }
}
