using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>Graph publishing calls for Pages and Instagram (platform-apis.md §2–3). Tokens travel as form fields, never in logs.</summary>
public sealed class MetaPublishingClient(HttpClient http, IOptions<MetaOptions> options)
{
    private MetaOptions Options => options.Value;

    /// <summary>Page photo from a URL Meta fetches. Returns (photo id, post id).</summary>
    public async Task<(string Id, string? PostId)> PublishPagePhotoAsync(string pageId, string pageToken, string url, string? message, CancellationToken ct)
    {
        var body = await PostFormAsync(Options.GraphBaseUrl, $"{pageId}/photos", ct, ("url", url), ("message", message ?? ""), ("published", "true"), ("access_token", pageToken));
        return (body.GetProperty("id").GetString()!, body.TryGetProperty("post_id", out var p) ? p.GetString() : null);
    }

    /// <summary>Page video from a URL Meta pulls (file_url). Returns the video id.</summary>
    public async Task<string> PublishPageVideoFromUrlAsync(string pageId, string pageToken, string fileUrl, string? title, string? description, CancellationToken ct)
    {
        var body = await PostFormAsync(Options.GraphVideoBaseUrl, $"{pageId}/videos", ct,
            ("file_url", fileUrl), ("title", title ?? ""), ("description", description ?? ""), ("published", "true"), ("access_token", pageToken));
        return body.GetProperty("id").GetString()!;
    }

    /// <summary><c>GET /{video-id}?fields=status,permalink_url</c>: (video_status, processing error, permalink).</summary>
    public async Task<(string VideoStatus, string? Error, string? Permalink)> GetVideoStatusAsync(string videoId, string pageToken, CancellationToken ct)
    {
        var body = await GetAsync($"{videoId}", ct, ("fields", "status,permalink_url,published"), ("access_token", pageToken));
        var status = body.GetProperty("status");
        string? error = null;
        foreach (var phase in new[] { "uploading_phase", "processing_phase", "publishing_phase" })
        {
            if (status.TryGetProperty(phase, out var p) && p.TryGetProperty("error", out var e) && e.TryGetProperty("message", out var m))
                error = m.GetString();
        }
        var permalink = body.TryGetProperty("permalink_url", out var l) ? l.GetString() : null;
        return (status.GetProperty("video_status").GetString() ?? "", error, permalink);
    }

    /// <summary>Creates an Instagram container (image_url, or video_url with media_type=REELS). Returns its id.</summary>
    public async Task<string> CreateInstagramContainerAsync(string igUserId, string token, string mediaType, string url, string? caption, bool? shareToFeed, CancellationToken ct)
    {
        var fields = new List<(string, string)> { ("caption", caption ?? ""), ("access_token", token) };
        if (mediaType == "image") fields.Add(("image_url", url));
        else
        {
            fields.Add(("video_url", url));
            fields.Add(("media_type", "REELS"));
            if (shareToFeed is not null) fields.Add(("share_to_feed", shareToFeed.Value ? "true" : "false"));
        }
        var body = await PostFormAsync(Options.GraphBaseUrl, $"{igUserId}/media", ct, [.. fields]);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Container status_code (IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED) and the status text.</summary>
    public async Task<(string StatusCode, string? Status)> GetContainerStatusAsync(string containerId, string token, CancellationToken ct)
    {
        var body = await GetAsync(containerId, ct, ("fields", "status_code,status"), ("access_token", token));
        return (body.GetProperty("status_code").GetString() ?? "", body.TryGetProperty("status", out var s) ? s.GetString() : null);
    }

    public async Task<string> PublishInstagramContainerAsync(string igUserId, string token, string containerId, CancellationToken ct)
    {
        var body = await PostFormAsync(Options.GraphBaseUrl, $"{igUserId}/media_publish", ct, ("creation_id", containerId), ("access_token", token));
        return body.GetProperty("id").GetString()!;
    }

    public async Task<string?> GetInstagramPermalinkAsync(string mediaId, string token, CancellationToken ct)
    {
        var body = await GetAsync(mediaId, ct, ("fields", "permalink"), ("access_token", token));
        return body.TryGetProperty("permalink", out var p) ? p.GetString() : null;
    }

    /// <summary>
    /// <c>GET /{ig-user-id}/content_publishing_limit</c> (platform-apis.md §3.6): posts in the rolling 24 hours and the
    /// limit (quota_total is authoritative; 50 when the answer leaves it out).
    /// </summary>
    public async Task<(long Usage, long Total, TimeSpan Window)> GetContentPublishingLimitAsync(string igUserId, string token, CancellationToken ct)
    {
        var body = await GetAsync($"{igUserId}/content_publishing_limit", ct, ("fields", "quota_usage,config"), ("access_token", token));
        if (!body.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
            return (0, 50, TimeSpan.FromDays(1));
        var entry = data[0];
        var usage = entry.TryGetProperty("quota_usage", out var u) && u.TryGetInt64(out var used) ? used : 0;
        var config = entry.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        var total = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("quota_total", out var t) && t.TryGetInt64(out var limit) ? limit : 50;
        var seconds = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("quota_duration", out var d) && d.TryGetInt64(out var duration) ? duration : 86_400;
        return (usage, total, TimeSpan.FromSeconds(seconds));
    }

    private async Task<JsonElement> GetAsync(string path, CancellationToken ct, params (string Name, string Value)[] query)
    {
        using var response = await http.GetAsync(new Uri(Options.GraphBaseUrl, $"{Options.GraphVersion}/{path}") + MetaGraphClient.Query(query), ct);
        await MetaGraphClient.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    private async Task<JsonElement> PostFormAsync(Uri baseUrl, string path, CancellationToken ct, params (string Name, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await http.PostAsync(new Uri(baseUrl, $"{Options.GraphVersion}/{path}"), content, ct);
        await MetaGraphClient.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}
