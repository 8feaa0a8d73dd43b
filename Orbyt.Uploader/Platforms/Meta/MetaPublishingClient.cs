using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Uploader.Media;

namespace Orbyt.Uploader.Platforms.Meta;

/// <summary>Graph publishing calls for Pages and Instagram. Tokens travel as form fields, never in logs.</summary>
public sealed class MetaPublishingClient(HttpClient http, IOptions<MetaOptions> options)
{
    private MetaOptions Options => options.Value;

    /// <summary>The Graph host of this client: graph.facebook.com, or graph.instagram.com for Instagram Login (<see cref="ForLogin"/>).</summary>
    private Uri _graphBase = options.Value.GraphBaseUrl;
    private Uri GraphBase => _graphBase;

    /// <summary>
    /// This client aimed at the host the credential publishes on (reference §14.6): an Instagram Login token
    /// (<see cref="CredentialKinds.InstagramUser"/>) on graph.instagram.com, where the same container, status,
    /// media_publish and content_publishing_limit calls live; every other token on graph.facebook.com. One set of calls,
    /// so a recipe is the same code on both logins.
    /// </summary>
    public MetaPublishingClient ForLogin(string credentialKind) =>
        credentialKind == CredentialKinds.InstagramUser ? new MetaPublishingClient(http, options) { _graphBase = Options.InstagramGraphBaseUrl } : this;

    /// <summary>Page photo from a URL Meta fetches. Returns (photo id, post id).</summary>
    public async Task<(string Id, string? PostId)> PublishPagePhotoAsync(string pageId, string pageToken, string url, string? message, string? altText, CancellationToken ct)
    {
        (string, string)[] alt = altText is null ? [] : [("alt_text_custom", altText)];
        var body = await PostFormAsync(GraphBase, $"{pageId}/photos", ct, [("url", url), ("message", message ?? ""), ("published", "true"), .. alt, ("access_token", pageToken)]);
        return (body.GetProperty("id").GetString()!, body.TryGetProperty("post_id", out var p) ? p.GetString() : null);
    }

    /// <summary>
    /// An unpublished Page photo from a URL Meta fetches (<c>published=false</c>, reference §12.2): no post of its own,
    /// to be attached to one <c>/feed</c> post or made a photo story. Returns the photo id. Not irreversible: a photo
    /// whose answer is lost is only an orphan nobody sees.
    /// </summary>
    public async Task<string> UploadUnpublishedPhotoAsync(string pageId, string pageToken, string url, string? altText, CancellationToken ct)
    {
        (string, string)[] alt = altText is null ? [] : [("alt_text_custom", altText)];
        var body = await PostFormAsync(GraphBase, $"{pageId}/photos", ct, [("url", url), ("published", "false"), .. alt, ("access_token", pageToken)]);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Page photo from bytes we send: multipart/form-data with the file part <c>source</c> (reference §2.2) — for a
    /// photo whose URL Meta could not fetch. The bytes stream from <paramref name="source"/> through the relay's
    /// <paramref name="buffer"/>. <paramref name="published"/> false: an unpublished photo (§12.2). Returns (photo id, post id).
    /// </summary>
    public async Task<(string Id, string? PostId)> PublishPagePhotoFromBytesAsync(string pageId, string pageToken, Stream source, long length,
        string contentType, string? message, string? altText, Memory<byte> buffer, CancellationToken ct, bool published = true)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(published ? "true" : "false"), "published" },
            { new StringContent(pageToken), "access_token" },
        };
        if (published)
            content.Add(new StringContent(message ?? ""), "message");
        if (altText is not null)
            content.Add(new StringContent(altText), "alt_text_custom");
        var file = new RelayContent(source, length, buffer);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        content.Add(file, "source", "photo");
        using var response = await http.PostAsync(new Uri(Options.GraphBaseUrl, $"{Options.GraphVersion}/{pageId}/photos"), content, ct);
        await MetaGraphClient.EnsureSuccessAsync(response, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return (body.GetProperty("id").GetString()!, body.TryGetProperty("post_id", out var p) ? p.GetString() : null);
    }

    /// <summary>
    /// A Page post on <c>/feed</c> (reference §12.1, §12.2): its text, a link (a link post), or unpublished photos attached
    /// as <c>attached_media</c> (a multi-photo post). The irreversible step of those posts. Returns the post id.
    /// </summary>
    public async Task<string> PublishPageFeedAsync(string pageId, string pageToken, string? message, string? link, IReadOnlyList<string> photoIds, CancellationToken ct)
    {
        var form = new List<(string, string)>();
        if (!string.IsNullOrEmpty(message)) form.Add(("message", message));
        if (link is not null) form.Add(("link", link));
        for (var i = 0; i < photoIds.Count; i++)
            form.Add(($"attached_media[{i}]", JsonSerializer.Serialize(new { media_fbid = photoIds[i] })));
        form.Add(("published", "true"));
        form.Add(("access_token", pageToken));
        var body = await PostFormAsync(GraphBase, $"{pageId}/feed", ct, [.. form]);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// The Page's posts (<c>GET /{page-id}/feed</c>) created since <paramref name="since"/>, newest first: how a /feed post
    /// whose answer was lost is found again, by its message (the edge no longer reads links or attachments back).
    /// </summary>
    public async Task<IReadOnlyList<PagePostCandidate>> ListRecentFeedPostsAsync(string pageId, string pageToken, DateTimeOffset since, CancellationToken ct)
    {
        var body = await GetAsync($"{pageId}/feed", ct, ("fields", "id,message,created_time"),
            ("since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ("limit", "100"), ("access_token", pageToken));
        return body.GetProperty("data").EnumerateArray().Select(item => new PagePostCandidate(
            item.GetProperty("id").GetString()!, Text(item, "message"), null, item.GetProperty("id").GetString())).ToList();
    }

    /// <summary>
    /// <c>POST /{page-id}/video_reels</c> or <c>/video_stories</c> with <c>upload_phase=start</c> (reference §2.4, §12.5):
    /// the video id and the rupload URL its bytes go to.
    /// </summary>
    public async Task<(string VideoId, string UploadUrl)> StartPageVideoAsync(string pageId, string pageToken, string edge, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{pageId}/{edge}", ct, ("upload_phase", "start"), ("access_token", pageToken));
        return (body.GetProperty("video_id").GetString()!, body.GetProperty("upload_url").GetString()!);
    }

    /// <summary>
    /// rupload with a hosted file (<c>file_url</c> header, reference §2.4): Meta pulls the URL. False when Meta answers
    /// that it could not (rupload's <c>ProcessingFailedError</c>): the caller hands it over again or pushes the bytes.
    /// </summary>
    public async Task<bool> RuploadHostedFileAsync(string uploadUrl, string pageToken, string fileUrl, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", pageToken);
        request.Headers.Add("file_url", fileUrl);
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
            return true;
        var text = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode is >= 400 and < 500 && text.Contains("ProcessingFailedError", StringComparison.Ordinal))
            return false;
        throw new HttpRequestException($"rupload answered {(int)response.StatusCode}.", null, response.StatusCode);
    }

    /// <summary>
    /// <c>upload_phase=finish</c> (reference §2.4, §12.5): a reel with <c>video_state=PUBLISHED</c> and its description and
    /// title (answers no id); a video story (answers its post_id). The irreversible step of both.
    /// </summary>
    public async Task<string?> FinishPageVideoAsync(string pageId, string pageToken, string edge, string videoId, string? description, string? title, CancellationToken ct)
    {
        var form = new List<(string, string)> { ("upload_phase", "finish"), ("video_id", videoId) };
        if (edge == "video_reels")
        {
            form.Add(("video_state", "PUBLISHED"));
            if (!string.IsNullOrEmpty(description)) form.Add(("description", description));
            if (!string.IsNullOrEmpty(title)) form.Add(("title", title));
        }
        form.Add(("access_token", pageToken));
        var body = await PostFormAsync(GraphBase, $"{pageId}/{edge}", ct, [.. form]);
        return body.TryGetProperty("post_id", out var p) ? p.ToString() : null;
    }

    /// <summary><c>POST /{page-id}/photo_stories</c> with an unpublished photo (reference §12.5). Returns the story's post_id.</summary>
    public async Task<string> PublishPhotoStoryAsync(string pageId, string pageToken, string photoId, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{pageId}/photo_stories", ct, ("photo_id", photoId), ("access_token", pageToken));
        return body.GetProperty("post_id").ToString();
    }

    /// <summary>The Page's reels since <paramref name="since"/>, one page of 100 (<c>GET /{page-id}/video_reels</c>, reference §2.4).</summary>
    public async Task<FacebookReelWindow> ListRecentReelsAsync(string pageId, string pageToken, DateTimeOffset since, CancellationToken ct) =>
        FacebookReelWindow.Read(await GetAsync($"{pageId}/video_reels", ct, [.. FacebookReelWindow.Query(since), ("access_token", pageToken)]));

    /// <summary>The Page's stories since <paramref name="since"/> (<c>GET /{page-id}/stories</c>, reference §12.5): post id and media id.</summary>
    public async Task<IReadOnlyList<(string PostId, string? MediaId)>> ListRecentStoriesAsync(string pageId, string pageToken, DateTimeOffset since, CancellationToken ct)
    {
        var body = await GetAsync($"{pageId}/stories", ct, ("since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ("access_token", pageToken));
        return body.GetProperty("data").EnumerateArray().Select(item => (item.GetProperty("post_id").ToString(), Text(item, "media_id"))).ToList();
    }

    /// <summary>
    /// Page video from a URL Meta pulls (file_url). Returns the video id. On graph.facebook.com: Meta's Video API overview
    /// says the graph-video.facebook.com host for uploads is deprecated (docs/decisions.md).
    /// </summary>
    public async Task<string> PublishPageVideoFromUrlAsync(string pageId, string pageToken, string fileUrl, string? title, string? description, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{pageId}/videos", ct,
            ("file_url", fileUrl), ("title", title ?? ""), ("description", description ?? ""), ("published", "true"), ("access_token", pageToken));
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Page video from bytes uploaded with the Resumable Upload API: <c>fbuploader_video_file_chunk</c> names the file
    /// handle. The irreversible step of the push path. Returns the video id.
    /// </summary>
    public async Task<string> PublishPageVideoFromUploadAsync(string pageId, string pageToken, string fileHandle, string? title, string? description, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{pageId}/videos", ct,
            ("fbuploader_video_file_chunk", fileHandle), ("title", title ?? ""), ("description", description ?? ""), ("published", "true"), ("access_token", pageToken));
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Resumable Upload API, start: <c>POST /{app-id}/uploads</c> with the person's user token. Returns the session id (<c>upload:…</c>).</summary>
    public async Task<string> StartUploadSessionAsync(string userToken, string fileName, long fileLength, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{Options.AppId}/uploads", ct,
            ("file_name", fileName), ("file_length", fileLength.ToString(CultureInfo.InvariantCulture)), ("file_type", "video/mp4"), ("access_token", userToken));
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Resumable Upload API: how many bytes of the session Meta has (<c>GET upload:…</c>, token in <c>Authorization: OAuth</c>).</summary>
    public async Task<long> GetUploadOffsetAsync(string sessionId, string userToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(GraphBase, $"{Options.GraphVersion}/{sessionId}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", userToken);
        using var response = await http.SendAsync(request, ct);
        await MetaGraphClient.EnsureSuccessAsync(response, ct);
        return Offset(await response.Content.ReadFromJsonAsync<JsonElement>(ct), "file_offset");
    }

    /// <summary>
    /// Resumable Upload API: <paramref name="length"/> bytes from <paramref name="offset"/>, streamed from
    /// <paramref name="source"/>'s position through the relay's <paramref name="buffer"/> (never held here whole).
    /// Returns the file handle (<c>h</c>) once Meta has the whole file, else null.
    /// </summary>
    public async Task<string?> UploadBytesAsync(string sessionId, string userToken, long offset, Stream source, long length, Memory<byte> buffer, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(GraphBase, $"{Options.GraphVersion}/{sessionId}"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", userToken);
        request.Headers.Add("file_offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new RelayContent(source, length, buffer);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.SendAsync(request, ct);
        await MetaGraphClient.EnsureSuccessAsync(response, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return body.TryGetProperty("h", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
    }

    /// <summary>
    /// <c>GET /{video-id}?fields=status,permalink_url,published</c>: its uploading, processing and publishing phases, accepting both spellings of
    /// the uploading phase's byte counter.
    /// </summary>
    public async Task<PageVideoStatus> GetVideoStatusAsync(string videoId, string pageToken, CancellationToken ct)
    {
        var body = await GetAsync($"{videoId}", ct, ("fields", "status,permalink_url,published"), ("access_token", pageToken));
        var status = body.GetProperty("status");
        string? error = null;
        foreach (var phase in new[] { "uploading_phase", "processing_phase", "publishing_phase" })
        {
            if (status.TryGetProperty(phase, out var p) && p.TryGetProperty("error", out var e) && e.TryGetProperty("message", out var m))
                error = m.GetString();
        }
        long? transferred = null;
        string? uploading = null;
        if (status.TryGetProperty("uploading_phase", out var up))
        {
            uploading = up.TryGetProperty("status", out var u) ? u.GetString() : null;
            if (up.TryGetProperty("bytes_transferred", out var b) || up.TryGetProperty("bytes_transfered", out b))
                transferred = b.ValueKind == JsonValueKind.Number ? b.GetInt64() : long.TryParse(b.GetString(), out var n) ? n : null;
        }
        var permalink = body.TryGetProperty("permalink_url", out var l) ? l.GetString() : null;
        return new PageVideoStatus(status.GetProperty("video_status").GetString() ?? "", uploading, transferred, error, permalink);
    }

    /// <summary>
    /// The Page's photos (<c>type=uploaded</c>) or videos created since <paramref name="since"/>, newest first: how a
    /// post whose answer was lost is found again (matched on the text the recipe sent).
    /// </summary>
    public async Task<IReadOnlyList<PagePostCandidate>> ListRecentPagePostsAsync(string pageId, string pageToken, bool videos, DateTimeOffset since, CancellationToken ct)
    {
        var body = videos
            ? await GetAsync($"{pageId}/videos", ct, ("fields", "id,title,description,created_time,permalink_url"),
                ("since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ("limit", "100"), ("access_token", pageToken))
            : await GetAsync($"{pageId}/photos", ct, ("type", "uploaded"), ("fields", "id,name,created_time,page_story_id"),
                ("since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ("limit", "100"), ("access_token", pageToken));
        return body.GetProperty("data").EnumerateArray().Select(item => new PagePostCandidate(
            item.GetProperty("id").GetString()!,
            Text(item, videos ? "description" : "name"),
            videos ? Text(item, "title") : null,
            Text(item, videos ? "permalink_url" : "page_story_id"))).ToList();
    }

    private static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Offset(JsonElement body, string name)
    {
        var value = body.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.Parse(value.GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Creates an Instagram container from <paramref name="fields"/> (image_url or video_url, media_type, caption and
    /// the format's options, as <see cref="Publishing.InstagramContainerFields"/> builds them). Returns its id.
    /// </summary>
    public async Task<string> CreateInstagramContainerAsync(string igUserId, string token, IReadOnlyList<(string Name, string Value)> fields, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{igUserId}/media", ct, [.. fields, ("access_token", token)]);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A video container for bytes we upload ourselves (<c>upload_type=resumable</c>, §13.7; <paramref name="fields"/>
    /// without a video_url): its id and the rupload URI Meta returns (use it as given; clients that built it themselves
    /// saw containers stuck IN_PROGRESS).
    /// </summary>
    public async Task<(string Id, string UploadUri)> CreateInstagramResumableContainerAsync(string igUserId, string token, IReadOnlyList<(string Name, string Value)> fields, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{igUserId}/media", ct, [.. fields, ("upload_type", "resumable"), ("access_token", token)]);
        return (body.GetProperty("id").GetString()!, body.GetProperty("uri").GetString()!);
    }

    /// <summary>How many bytes of a resumable container Meta holds (<c>video_status.uploading_phase.bytes_transferred</c>).</summary>
    public async Task<long> GetInstagramUploadedBytesAsync(string containerId, string token, CancellationToken ct)
    {
        var body = await GetAsync(containerId, ct, ("fields", "video_status"), ("access_token", token));
        if (!body.TryGetProperty("video_status", out var status) || !status.TryGetProperty("uploading_phase", out var phase)
            || !(phase.TryGetProperty("bytes_transferred", out var b) || phase.TryGetProperty("bytes_transfered", out b)))
            return 0;
        return b.ValueKind == JsonValueKind.Number ? b.GetInt64() : long.TryParse(b.GetString(), out var n) ? n : 0;
    }

    /// <summary>
    /// rupload: the bytes from <paramref name="offset"/> to the end, streamed from <paramref name="source"/> through the relay's buffer, with
    /// <c>Authorization: OAuth</c>, <c>offset</c> and <c>file_size</c> (§13.7). rupload answers its own
    /// <c>debug_info</c> envelope on failure; that is an exception here, and the upload resumes from Meta's offset.
    /// <paramref name="progress"/> hears the bytes sent in this request so far (from <paramref name="offset"/>).
    /// </summary>
    public async Task UploadInstagramBytesAsync(string uploadUri, string token, Stream source, long offset, long fileSize, Memory<byte> buffer, CancellationToken ct,
        Func<long, CancellationToken, ValueTask>? progress = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUri);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("OAuth", token);
        request.Headers.Add("offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("file_size", fileSize.ToString(CultureInfo.InvariantCulture));
        request.Content = new RelayContent(source, fileSize - offset, buffer, progress);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"rupload answered {(int)response.StatusCode}.", null, response.StatusCode);
    }

    /// <summary>Container status_code (IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED) and the status text.</summary>
    public async Task<(string StatusCode, string? Status)> GetContainerStatusAsync(string containerId, string token, CancellationToken ct)
    {
        var body = await GetAsync(containerId, ct, ("fields", "status_code,status"), ("access_token", token));
        return (body.GetProperty("status_code").GetString() ?? "", body.TryGetProperty("status", out var s) ? s.GetString() : null);
    }

    public async Task<string> PublishInstagramContainerAsync(string igUserId, string token, string containerId, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{igUserId}/media_publish", ct, ("creation_id", containerId), ("access_token", token));
        return body.GetProperty("id").GetString()!;
    }

    public async Task<string?> GetInstagramPermalinkAsync(string mediaId, string token, CancellationToken ct)
    {
        var body = await GetAsync(mediaId, ct, ("fields", "permalink"), ("access_token", token));
        return body.TryGetProperty("permalink", out var p) ? p.GetString() : null;
    }

    /// <summary>
    /// A comment authored by the account under its own post (<c>POST /{object-id}/comments</c>, reference §12.6 with
    /// the Page token; §13.6 on the published Instagram media id). Returns the comment id.
    /// </summary>
    public async Task<string> PostCommentAsync(string objectId, string token, string message, CancellationToken ct)
    {
        var body = await PostFormAsync(GraphBase, $"{objectId}/comments", ct, ("message", message), ("access_token", token));
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// The post's comments (up to 100, newest first where the edge can order them), as (id, text, author id): how a comment
    /// whose answer was lost is found again. Facebook names the text <c>message</c>, Instagram <c>text</c>.
    /// </summary>
    public async Task<IReadOnlyList<(string Id, string? Text, string? AuthorId)>> ListCommentsAsync(string objectId, string token, bool instagram, CancellationToken ct)
    {
        var body = instagram
            ? await GetAsync($"{objectId}/comments", ct, ("fields", "id,text,from"), ("limit", "100"), ("access_token", token))
            : await GetAsync($"{objectId}/comments", ct, ("fields", "id,message,from"), ("filter", "stream"), ("order", "reverse_chronological"), ("limit", "100"), ("access_token", token));
        return body.GetProperty("data").EnumerateArray().Select(c => (
            c.GetProperty("id").GetString()!,
            Text(c, instagram ? "text" : "message"),
            c.TryGetProperty("from", out var from) && from.ValueKind == JsonValueKind.Object ? Text(from, "id") : null)).ToList();
    }

    /// <summary>
    /// <c>GET /{ig-user-id}/content_publishing_limit</c>: posts in the rolling 24 hours and the
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
        using var response = await http.GetAsync(new Uri(GraphBase, $"{Options.GraphVersion}/{path}") + MetaGraphClient.Query(query), ct);
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
