using System.Text.Json.Nodes;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.YouTube;

/// <summary>
/// What YouTube offers after the upload (reference §15): <c>thumbnails.set</c> as a simple (<c>uploadType=media</c>) or
/// resumable upload (§15.2), and <c>playlistItems.insert</c> / <c>playlistItems.list</c> (§15.3). Playlists themselves are
/// made through the control API (<c>POST /_sandbox/youtube/playlists</c>).
/// </summary>
internal static class YouTubeExtrasEndpoints
{
    private const string ThumbnailPath = "/youtube/upload/youtube/v3/thumbnails/set";
    // §15.2: thumbnails.set takes youtube.upload, youtube, youtube.force-ssl or youtubepartner.
    private static readonly string[] ThumbnailScopes = ["youtube.upload", "youtube", "youtube.force-ssl", "youtubepartner"];
    // §15.3: playlistItems.insert needs youtube, youtube.force-ssl or youtubepartner — youtube.upload is not enough.
    private static readonly string[] PlaylistWriteScopes = ["youtube", "youtube.force-ssl", "youtubepartner"];
    private static readonly string[] PlaylistReadScopes = ["youtube.readonly", "youtube", "youtube.force-ssl", "youtubepartner"];
    private static readonly string[] ThumbnailMediaTypes = ["image/jpeg", "image/png", "application/octet-stream"];

    public static IEndpointRouteBuilder MapYouTubeThumbnailAndPlaylistEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(ThumbnailPath, SetThumbnail).DisableAntiforgery();
        app.MapPut(ThumbnailPath, PutThumbnail);
        app.MapPost("/youtube/youtube/v3/playlistItems", InsertPlaylistItem).DisableAntiforgery();
        app.MapGet("/youtube/youtube/v3/playlistItems", ListPlaylistItems);
        return app;
    }

    /// <summary><c>POST /_sandbox/youtube/playlists</c>: a playlist of a channel (playlists.insert is not served).</summary>
    public static IResult CreatePlaylist(SandboxState state, string channelId, string? title, int? maxItems)
    {
        lock (state.Gate)
        {
            if (!state.GoogleAccounts.Values.Any(a => a.Channel?.Id == channelId))
                return Results.Problem(detail: $"No channel {channelId}", statusCode: 404);
            var playlist = new YouTubePlaylist { Id = "PL" + state.Ids.Etag(), ChannelId = channelId, Title = title ?? "Sandbox playlist", MaxItems = maxItems ?? 5000 };
            state.Playlists[playlist.Id] = playlist;
            return Results.Json(new { id = playlist.Id, channel_id = channelId, title = playlist.Title, max_items = playlist.MaxItems }, SandboxJson.Snake, statusCode: 201);
        }
    }

    /// <summary>
    /// thumbnails.set: checks the video (unknown → 404 <c>videoNotFound</c>; another channel's, or a channel not allowed
    /// custom thumbnails → 403 <c>forbidden</c>) and charges 50 units; then takes the image in this request
    /// (<c>uploadType=media</c> or none) or starts a resumable session (<c>uploadType=resumable</c>, bytes by PUT).
    /// </summary>
    private static async Task<IResult> SetThumbnail(HttpContext context, SandboxState state)
    {
        var (token, error) = YouTubeEndpoints.Authenticate(context, state, ThumbnailScopes);
        if (token is null)
            return error!.ToResult();

        var videoId = context.Request.Query["videoId"].ToString();
        if (VideoCheck(state, token, videoId) is { } refused)
            return refused.ToResult();

        var uploadType = context.Request.Query["uploadType"].ToString();
        if (uploadType is not ("" or "media" or "resumable"))
            return new GoogleApiError(400, "badRequest", $"Invalid uploadType '{uploadType}' for thumbnails.set: expected media or resumable.", Location: "uploadType", LocationType: "parameter").ToResult();

        if (!YouTubeEndpoints.Charge(state, 50))
            return GoogleApiError.QuotaExceeded().ToResult();

        var limit = state.Settings.YoutubeThumbnailMaxBytes;
        if (uploadType == "resumable")
        {
            var headers = context.Request.Headers;
            var declaredType = headers["X-Upload-Content-Type"].ToString().Split(';', 2)[0].Trim();
            if (declaredType.Length > 0 && !ThumbnailMediaTypes.Contains(declaredType, StringComparer.OrdinalIgnoreCase))
                return new GoogleApiError(400, "badContent", $"Media type '{declaredType}' is not supported. Valid media types: [image/jpeg, image/png, application/octet-stream]").ToResult();
            long? total = long.TryParse(headers["X-Upload-Content-Length"].ToString(), out var length) ? length : null;
            if (total > limit)
                return TooLarge(limit).ToResult();
            // The session-start body (Google.Apis sends its empty request body, perhaps gzipped) carries nothing.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            var session = new YouTubeThumbnailSession
            {
                Id = state.Ids.UploadId(),
                Sub = token.Sub,
                VideoId = videoId,
                Path = context.Request.Path.Value!,
                TotalLength = total,
                ExpiresAt = state.Clock.GetUtcNow().AddHours(state.Settings.YoutubeUploadSessionTtlHours),
            };
            lock (state.Gate)
                state.ThumbnailSessions[session.Id] = session;
            context.Response.Headers.Location = $"{context.PublicBase()}{session.Path}?uploadType=resumable&videoId={Uri.EscapeDataString(videoId)}&upload_id={session.Id}";
            return Results.Ok();
        }

        using var received = new ReceivedMedia();
        var head = new byte[8];
        var headLength = 0;
        await SandboxHttp.PumpAsync(context.Request.Body, bytes =>
        {
            var take = Math.Min(bytes.Length, head.Length - headLength);
            bytes.Span[..take].CopyTo(head.AsSpan(headLength));
            headLength += take;
            received.Append(bytes.Span);
            return ValueTask.CompletedTask;
        }, limit + 1, context.RequestAborted);
        return Apply(state, videoId, received, head.AsSpan(0, headLength), limit);
    }

    /// <summary>The bytes of a resumable thumbnails.set session: chunks with Content-Range, status queries (<c>bytes */N</c>).</summary>
    private static async Task<IResult> PutThumbnail(HttpContext context, SandboxState state)
    {
        YouTubeThumbnailSession? session;
        lock (state.Gate)
            session = state.ThumbnailSessions.GetValueOrDefault(context.Request.Query["upload_id"].ToString());
        if (session is null || (!session.Done && session.ExpiresAt <= state.Clock.GetUtcNow()))
            return Results.Text("Not Found", "text/plain", statusCode: 404);

        var range = context.Request.Headers.ContentRange.ToString();
        long start = 0;
        long? end = null;
        var total = session.TotalLength;
        if (range.Length > 0 && !YouTubeEndpoints.TryParseRange(range, out start, out end, out total))
            return new GoogleApiError(400, "badRequest", $"Invalid Content-Range header: {range}").ToResult();

        var limit = state.Settings.YoutubeThumbnailMaxBytes;
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            if (session.Done)
                return ThumbnailResponse(state, session.VideoId);
            if (total > limit)
                return TooLarge(limit).ToResult();
            session.TotalLength ??= total;
            if (total is not null && session.TotalLength != total)
                return new GoogleApiError(400, "badRequest", "The Content-Range total does not match the upload size.").ToResult();
            var received = session.Media.Received;
            if (end is null && range.Length > 0)
                return YouTubeEndpoints.Incomplete(context, received);
            if (start > received)
                return new GoogleApiError(400, "badRequest", $"Content-Range starts at {start} but only {received} bytes were received.").ToResult();

            var chunkLength = end is null ? (session.TotalLength ?? limit + 1) - start : end.Value - start + 1;
            await SandboxHttp.PumpAsync(context.Request.Body, YouTubeEndpoints.SkippingSink(received - start, span =>
            {
                var take = Math.Min(span.Length, session.Head.Length - session.HeadLength);
                span[..take].CopyTo(session.Head.AsSpan(session.HeadLength));
                session.HeadLength += take;
                session.Media.Append(span);
            }), Math.Min(chunkLength, limit + 1), context.RequestAborted);

            if (session.TotalLength is null && end is null)
                session.TotalLength = session.Media.Received;
            if (session.Media.Received < session.TotalLength)
                return YouTubeEndpoints.Incomplete(context, session.Media.Received);

            var answer = Apply(state, session.VideoId, session.Media, session.Head.AsSpan(0, session.HeadLength), limit);
            session.Done = true;
            return answer;
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>The checks on the video a thumbnail is for (§6.6, §15.2).</summary>
    private static GoogleApiError? VideoCheck(SandboxState state, GoogleAccessToken token, string videoId)
    {
        lock (state.Gate)
        {
            var video = state.Videos.GetValueOrDefault(videoId);
            var channel = state.GoogleAccounts[token.Sub].Channel;
            if (video is null)
                return new GoogleApiError(404, "videoNotFound", "The video that you are trying to set a thumbnail for cannot be found.", "youtube.thumbnail", "videoId", "parameter");
            if (video.ChannelId != channel?.Id)
                return new GoogleApiError(403, "forbidden", "The thumbnail can't be set for the specified video. The request might not be properly authorized.", "youtube.thumbnail");
            if (!channel.CustomThumbnails)
                return new GoogleApiError(403, "forbidden", "The authenticated user doesn't have permissions for uploading and setting custom video thumbnails.", "youtube.thumbnail");
            return null;
        }
    }

    /// <summary>A complete image: empty → mediaBodyRequired; not JPEG/PNG or over the limit → invalidImage; else recorded.</summary>
    private static IResult Apply(SandboxState state, string videoId, ReceivedMedia received, ReadOnlySpan<byte> head, long limit)
    {
        if (received.Received == 0)
            return new GoogleApiError(400, "mediaBodyRequired", "The request does not include the image content.", "youtube.thumbnail").ToResult();
        var isJpeg = head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF;
        var isPng = head.Length >= 4 && head[0] == 0x89 && head[1] == (byte)'P' && head[2] == (byte)'N' && head[3] == (byte)'G';
        if (received.Received > limit)
            return TooLarge(limit).ToResult();
        if (!(isJpeg || isPng))
            return new GoogleApiError(400, "invalidImage", "The provided image content is invalid.", "youtube.thumbnail").ToResult();

        lock (state.Gate)
        {
            var published = state.Published.LastOrDefault(p => p.Platform == "youtube" && p.Id == videoId);
            if (published is not null)
            {
                published.ThumbnailSha256 = received.Sha256;
                published.ThumbnailByteLength = received.Received;
            }
        }

        return ThumbnailResponse(state, videoId);
    }

    /// <summary>
    /// Over <c>youtube_thumbnail_max_bytes</c>: 400 <c>invalidImage</c> naming the size (the real answer for an oversized
    /// image is not in the reference; postiz observed <c>failedPrecondition</c> — §15.2).
    /// </summary>
    private static GoogleApiError TooLarge(long limit) => new(400, "invalidImage", $"The thumbnail image is larger than {limit} bytes.", "youtube.thumbnail");

    private static IResult ThumbnailResponse(SandboxState state, string videoId)
    {
        var sizes = new (string Name, string File, int Width, int Height)[]
        {
            ("default", "default", 120, 90), ("medium", "mqdefault", 320, 180), ("high", "hqdefault", 480, 360),
            ("standard", "sddefault", 640, 480), ("maxres", "maxresdefault", 1280, 720),
        };
        var item = sizes.ToDictionary(s => s.Name, s => (object)new { url = $"https://i.ytimg.com/vi/{videoId}/{s.File}.jpg", width = s.Width, height = s.Height });
        return Results.Json(new { kind = "youtube#thumbnailSetResponse", etag = state.Ids.Etag(), items = new[] { item } }, SandboxJson.Verbatim);
    }

    /// <summary>playlistItems.insert (§15.3): 50 units; the caller's own playlist; the video must exist.</summary>
    private static async Task<IResult> InsertPlaylistItem(HttpContext context, SandboxState state)
    {
        var (token, error) = YouTubeEndpoints.Authenticate(context, state, PlaylistWriteScopes);
        if (token is null)
            return error!.ToResult();
        if (context.Request.Query["part"].ToString().Length == 0)
            return new GoogleApiError(400, "required", "Required parameter: part", Location: "part", LocationType: "parameter").ToResult();
        if (!YouTubeEndpoints.Charge(state, 50))
            return GoogleApiError.QuotaExceeded().ToResult();

        JsonObject body;
        try
        {
            body = await YouTubeEndpoints.ReadJsonBody(context);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            return new GoogleApiError(400, "parseError", "Parse Error").ToResult();
        }

        var snippet = body["snippet"] as JsonObject;
        var playlistId = snippet?["playlistId"]?.GetValue<string>();
        var resource = snippet?["resourceId"] as JsonObject;
        if (string.IsNullOrEmpty(playlistId))
            return new GoogleApiError(400, "playlistIdRequired", "The request does not specify a value for the required playlistId property.", "youtube.playlistItem", "body.snippet.playlistId", "other").ToResult();
        if (resource is null)
            return new GoogleApiError(400, "resourceIdRequired", "The request must contain a resource in which the snippet object specifies the item being added to the playlist.", "youtube.playlistItem").ToResult();
        if (resource["kind"]?.GetValue<string>() != "youtube#video")
            return new GoogleApiError(400, "invalidResourceType", "The type specified in the resource ID is not supported.", "youtube.playlistItem").ToResult();
        var videoId = resource["videoId"]?.GetValue<string>() ?? "";
        int? position = snippet!["position"]?.GetValue<int>();

        lock (state.Gate)
        {
            var channel = state.GoogleAccounts[token.Sub].Channel;
            if (!state.Playlists.TryGetValue(playlistId, out var playlist))
                return new GoogleApiError(404, "playlistNotFound", "The playlist identified with the request's playlistId parameter cannot be found.", "youtube.playlistItem", "playlistId", "parameter").ToResult();
            if (playlist.ChannelId != channel?.Id)
                return new GoogleApiError(403, "playlistItemsNotAccessible", "The request is not properly authorized to insert the specified playlist item.", "youtube.playlistItem").ToResult();
            if (!state.Videos.ContainsKey(videoId))
                return new GoogleApiError(404, "videoNotFound", "The video that you are trying to add to the playlist cannot be found.", "youtube.playlistItem", "body.snippet.resourceId.videoId", "other").ToResult();
            if (playlist.Items.Count >= playlist.MaxItems)
                return new GoogleApiError(403, "playlistContainsMaximumNumberOfVideos", "The playlist already contains the maximum allowed number of items.", "youtube.playlistItem").ToResult();
            if (position is { } p && (p < 0 || p > playlist.Items.Count))
                return new GoogleApiError(400, "invalidPlaylistItemPosition", "The request attempts to set the playlist item's position to an invalid or unsupported value.", "youtube.playlistItem").ToResult();

            var item = new YouTubePlaylistItem("UE" + state.Ids.Etag(), videoId, position ?? playlist.Items.Count, state.Clock.GetUtcNow());
            playlist.Items.Insert(item.Position, item);
            state.Published.LastOrDefault(x => x.Platform == "youtube" && x.Id == videoId)?.Playlists.Add(playlist.Id);
            return Results.Json(ItemResource(state, playlist, item), SandboxJson.Verbatim);
        }
    }

    /// <summary>playlistItems.list (1 unit) by <c>playlistId</c>, optionally only the items of one <c>videoId</c>.</summary>
    private static IResult ListPlaylistItems(HttpContext context, SandboxState state)
    {
        var (token, error) = YouTubeEndpoints.Authenticate(context, state, PlaylistReadScopes);
        if (token is null)
            return error!.ToResult();
        if (context.Request.Query["part"].ToString().Length == 0)
            return new GoogleApiError(400, "required", "Required parameter: part", Location: "part", LocationType: "parameter").ToResult();
        if (!YouTubeEndpoints.Charge(state, 1))
            return GoogleApiError.QuotaExceeded().ToResult();
        var playlistId = context.Request.Query["playlistId"].ToString();
        var videoId = context.Request.Query["videoId"].ToString();
        lock (state.Gate)
        {
            if (!state.Playlists.TryGetValue(playlistId, out var playlist))
                return new GoogleApiError(404, "playlistNotFound", "The playlist identified with the request's playlistId parameter cannot be found.", "youtube.playlistItem", "playlistId", "parameter").ToResult();
            var items = playlist.Items.Where(i => videoId.Length == 0 || i.VideoId == videoId).Select(i => ItemResource(state, playlist, i)).ToList();
            return Results.Json(new
            {
                kind = "youtube#playlistItemListResponse",
                etag = "etag-playlist-" + playlist.Id,
                items,
                pageInfo = new { totalResults = items.Count, resultsPerPage = 50 },
            }, SandboxJson.Verbatim);
        }
    }

    private static object ItemResource(SandboxState state, YouTubePlaylist playlist, YouTubePlaylistItem item) => new
    {
        kind = "youtube#playlistItem",
        etag = "etag-" + item.Id,
        id = item.Id,
        snippet = new
        {
            publishedAt = item.AddedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            channelId = playlist.ChannelId,
            title = state.Videos.GetValueOrDefault(item.VideoId)?.Metadata.Title,
            playlistId = playlist.Id,
            position = playlist.Items.IndexOf(item),
            resourceId = new { kind = "youtube#video", videoId = item.VideoId },
        },
    };
}
