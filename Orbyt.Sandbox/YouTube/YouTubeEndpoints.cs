using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.YouTube;

/// <summary>
/// youtube.googleapis.com / www.googleapis.com: channels.list, videos.list and videos.insert (the resumable protocol here,
/// the one-shot multipart and media forms in <see cref="OneShotVideoInsert"/>; docs/sandbox.md), with daily quotas reset
/// at midnight Pacific time.
/// </summary>
internal static partial class YouTubeEndpoints
{
    private const long ChunkGranularity = 256 * 1024;
    private const string ScopePrefix = "https://www.googleapis.com/auth/";
    private static readonly string[] ReadScopes = ["youtube.readonly", "youtube", "youtube.force-ssl", "youtubepartner"];
    private static readonly string[] UploadScopes = ["youtube.upload", "youtube", "youtube.force-ssl"];
    private static readonly string?[] RejectionReasons =
        ["copyright", "inappropriate", "duplicate", "termsOfUse", "uploaderAccountSuspended", "length", "claim", "uploaderAccountClosed", "trademark", "legal"];

    public static IEndpointRouteBuilder MapYouTubeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/youtube/youtube/v3/channels", Channels);
        app.MapGet("/youtube/youtube/v3/videos", Videos);
        foreach (var path in new[] { "/youtube/upload/youtube/v3/videos", "/youtube/resumable/upload/youtube/v3/videos" })
        {
            app.MapPost(path, Insert).DisableAntiforgery();
            app.MapPut(path, PutChunk);
        }

        app.MapYouTubeThumbnailAndPlaylistEndpoints();

        return app;
    }

    internal static (GoogleAccessToken? Token, GoogleApiError? Error) Authenticate(HttpContext context, SandboxState state, string[] scopes)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, GoogleApiError.Required());
        }

        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            if (!state.GoogleTokens.TryGetValue(header[7..].Trim(), out var token) || token.Revoked || token.ExpiresAt <= now)
            {
                return (null, GoogleApiError.AuthError());
            }

            return scopes.Any(s => token.Scopes.Contains(ScopePrefix + s)) ? (token, null) : (null, GoogleApiError.InsufficientPermissions());
        }
    }

    /// <summary>Charges units from the shared daily bucket; false when it is spent.</summary>
    internal static bool Charge(SandboxState state, int units)
    {
        lock (state.Gate)
        {
            state.Quota.Roll(state.Clock.GetUtcNow());
            if (state.Quota.UnitsUsed + units > state.Settings.YoutubeDailyUnitQuota)
            {
                return false;
            }

            state.Quota.UnitsUsed += units;
            return true;
        }
    }

    private static IResult Channels(HttpContext context, SandboxState state)
    {
        var (token, error) = Authenticate(context, state, ReadScopes);
        if (token is null)
        {
            return error!.ToResult();
        }

        if (!Charge(state, 1))
        {
            return GoogleApiError.QuotaExceeded().ToResult();
        }

        var part = context.Request.Query["part"].ToString();
        if (part.Length == 0)
        {
            return new GoogleApiError(400, "required", "No filter selected. Expected one of: mine, id, ...", Location: "part", LocationType: "parameter").ToResult();
        }

        if (context.Request.Query["mine"].ToString() != "true")
        {
            return new GoogleApiError(400, "invalidMine", "The sandbox supports channels.list with mine=true only.").ToResult();
        }

        GoogleAccount account;
        lock (state.Gate)
        {
            account = state.GoogleAccounts[token.Sub];
        }

        var parts = part.Split(',', StringSplitOptions.TrimEntries);
        var items = new List<object>();
        if (account.Channel is { } channel)
        {
            var item = new Dictionary<string, object?> { ["kind"] = "youtube#channel", ["etag"] = "etag-" + channel.Id, ["id"] = channel.Id };
            if (parts.Contains("snippet"))
            {
                item["snippet"] = new
                {
                    title = channel.Title,
                    description = "",
                    customUrl = channel.CustomUrl,
                    publishedAt = channel.PublishedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    thumbnails = new
                    {
                        @default = new { url = $"https://yt3.ggpht.com/sandbox/{channel.Id}=s88", width = 88, height = 88 },
                        medium = new { url = $"https://yt3.ggpht.com/sandbox/{channel.Id}=s240", width = 240, height = 240 },
                        high = new { url = $"https://yt3.ggpht.com/sandbox/{channel.Id}=s800", width = 800, height = 800 },
                    },
                    localized = new { title = channel.Title, description = "" },
                    country = "US",
                };
            }

            if (parts.Contains("contentDetails"))
            {
                item["contentDetails"] = new { relatedPlaylists = new { likes = "", uploads = "UU" + channel.Id[2..] } };
            }

            if (parts.Contains("status"))
            {
                item["status"] = new { privacyStatus = "public", isLinked = true, longUploadsStatus = "allowed" };
            }

            items.Add(item);
        }

        return Results.Json(new
        {
            kind = "youtube#channelListResponse",
            etag = "etag-list-" + account.Sub,
            pageInfo = new { totalResults = items.Count, resultsPerPage = 5 },
            items,
        }, SandboxJson.Verbatim);
    }

    private static IResult Videos(HttpContext context, SandboxState state)
    {
        var (token, error) = Authenticate(context, state, ReadScopes.Concat(UploadScopes).Distinct().ToArray());
        if (token is null)
        {
            return error!.ToResult();
        }

        if (!Charge(state, 1))
        {
            return GoogleApiError.QuotaExceeded().ToResult();
        }

        var parts = context.Request.Query["part"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return new GoogleApiError(400, "required", "Required parameter: part", Location: "part", LocationType: "parameter").ToResult();
        }

        var ids = context.Request.Query["id"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var now = state.Clock.GetUtcNow();
        var items = new List<object>();
        lock (state.Gate)
        {
            var ownChannel = state.GoogleAccounts[token.Sub].Channel?.Id;
            foreach (var id in ids)
            {
                if (state.Videos.TryGetValue(id, out var video))
                {
                    items.Add(VideoResource(video, parts, now, owner: video.ChannelId == ownChannel, state));
                }
            }
        }

        return Results.Json(new
        {
            kind = "youtube#videoListResponse",
            etag = "etag-videos",
            items,
            pageInfo = new { totalResults = items.Count, resultsPerPage = items.Count },
        }, SandboxJson.Verbatim);
    }

    public static Dictionary<string, object?> VideoResource(YouTubeVideo video, string[] parts, DateTimeOffset now, bool owner, SandboxState state)
    {
        var processed = now >= video.ProcessedAt;
        var meta = video.Metadata;
        // §15.4: a private video with publishAt becomes public at that time (YouTube switches it; nobody calls).
        var privacy = video.PrivacyStatus == "private" && meta.PublishAt is { } publishAt
            && DateTimeOffset.Parse(publishAt, System.Globalization.CultureInfo.InvariantCulture) <= now ? "public" : video.PrivacyStatus;
        var resource = new Dictionary<string, object?> { ["kind"] = "youtube#video", ["etag"] = video.Etag, ["id"] = video.Id };
        if (parts.Contains("snippet"))
        {
            resource["snippet"] = new
            {
                publishedAt = video.UploadedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                channelId = video.ChannelId,
                title = meta.Title,
                description = meta.Description,
                thumbnails = new { @default = new { url = $"https://i.ytimg.com/vi/{video.Id}/default.jpg", width = 120, height = 90 } },
                tags = meta.Tags.Count > 0 ? meta.Tags : null,
                categoryId = meta.CategoryId,
                liveBroadcastContent = "none",
                defaultLanguage = meta.DefaultLanguage,
                defaultAudioLanguage = meta.DefaultAudioLanguage,
                localized = new { title = meta.Title, description = meta.Description },
            };
        }

        if (parts.Contains("status"))
        {
            var uploadStatus = !processed ? "uploaded" : video.FinalStatus ?? "processed";
            resource["status"] = new
            {
                uploadStatus,
                failureReason = processed && video.FinalStatus == "failed" ? video.FinalReason ?? "conversion" : null,
                rejectionReason = processed && video.FinalStatus == "rejected" ? video.FinalReason ?? "duplicate" : null,
                privacyStatus = privacy,
                publishAt = meta.PublishAt,
                license = "youtube",
                embeddable = true,
                publicStatsViewable = true,
                madeForKids = meta.SelfDeclaredMadeForKids ?? false,
                selfDeclaredMadeForKids = meta.SelfDeclaredMadeForKids,
                containsSyntheticMedia = meta.ContainsSyntheticMedia,
            };
        }

        if (parts.Contains("processingDetails") && owner)
        {
            var total = Math.Max(1, (video.ProcessedAt - video.UploadedAt).TotalMilliseconds);
            var done = Math.Clamp((now - video.UploadedAt).TotalMilliseconds / total, 0, 1);
            resource["processingDetails"] = !processed
                ? new Dictionary<string, object?>
                {
                    ["processingStatus"] = "processing",
                    ["processingProgress"] = new
                    {
                        partsTotal = "1000",
                        partsProcessed = ((int)(done * 1000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        timeLeftMs = ((long)(video.ProcessedAt - now).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                }
                : video.FinalStatus == "failed"
                    ? new Dictionary<string, object?> { ["processingStatus"] = "failed", ["processingFailureReason"] = "transcodeFailed" }
                    : new Dictionary<string, object?> { ["processingStatus"] = video.FinalStatus == "rejected" ? "terminated" : "succeeded" };
        }

        return resource;
    }

    /// <summary>
    /// videos.insert: <c>uploadType=resumable</c> starts a session on either upload path; <c>multipart</c> and <c>media</c>
    /// (one request, not resumable) exist only on <c>/upload/</c> (§6.1, §15.8).
    /// </summary>
    private static async Task<IResult> Insert(HttpContext context, SandboxState state)
    {
        var (token, error) = Authenticate(context, state, UploadScopes);
        if (token is null)
        {
            return error!.ToResult();
        }

        var uploadType = context.Request.Query["uploadType"].ToString();
        var oneShot = uploadType is "multipart" or "media" && context.Request.Path.StartsWithSegments("/youtube/upload");
        if (uploadType != "resumable" && !oneShot)
        {
            return new GoogleApiError(400, "badRequest", $"Invalid uploadType '{uploadType}' for {context.Request.Path}: expected resumable, multipart or media (multipart and media only under /upload/).",
                Location: "uploadType", LocationType: "parameter").ToResult();
        }

        if (context.Request.Query["part"].ToString().Length == 0)
        {
            return new GoogleApiError(400, "required", "Required parameter: part", Location: "part", LocationType: "parameter").ToResult();
        }

        return oneShot ? await OneShotVideoInsert.InsertAsync(context, state, token, uploadType) : await StartSession(context, state, token);
    }

    private static async Task<IResult> StartSession(HttpContext context, SandboxState state, GoogleAccessToken token)
    {
        JsonObject body;
        try
        {
            body = await ReadJsonBody(context);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return new GoogleApiError(400, "parseError", "Parse Error").ToResult();
        }

        var (metadata, invalid) = ReadMetadata(body, context.Request.Query);
        if (metadata is null)
        {
            return invalid!.ToResult();
        }

        var headers = context.Request.Headers;
        if (headers["X-Upload-Content-Type"].ToString() is { Length: > 0 } declaredType && MediaTypeError(declaredType) is { } badType)
        {
            return badType.ToResult();
        }

        long? total = long.TryParse(headers["X-Upload-Content-Length"].ToString(), out var length) ? length : null;
        if (total > state.Settings.YoutubeVideoMaxBytes)
        {
            return TooLarge(state).ToResult();
        }

        var (account, refused) = ReserveInsert(state, token);
        if (account is null)
        {
            return refused!.ToResult();
        }

        var session = new YouTubeUploadSession
        {
            Id = state.Ids.UploadId(),
            ChannelId = account.Channel!.Id,
            Sub = account.Sub,
            Path = context.Request.Path.Value!,
            TotalLength = total,
            ContentType = headers["X-Upload-Content-Type"].ToString() is { Length: > 0 } t ? t : "application/octet-stream",
            Metadata = metadata,
            ExpiresAt = state.Clock.GetUtcNow().AddHours(state.Settings.YoutubeUploadSessionTtlHours),
        };
        lock (state.Gate)
        {
            state.UploadSessions[session.Id] = session;
        }

        var location = SandboxHttp.AppendQuery($"{context.PublicBase()}{session.Path}",
            [new("uploadType", "resumable"), new("upload_id", session.Id), new("part", metadata.Part)]);
        context.Response.Headers.Location = location;
        context.Response.Headers["X-GUploader-UploadID"] = session.Id;
        return Results.Ok();
    }

    /// <summary>The Video resource of a videos.insert request (snippet.title is required when metadata is sent, §6.3).</summary>
    internal static (YouTubeVideoMetadata? Metadata, GoogleApiError? Error) ReadMetadata(JsonObject body, IQueryCollection query)
    {
        try
        {
            return ReadValidMetadata(body, query);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A field of the wrong JSON type (a numeric title, a string flag).
            return (null, new GoogleApiError(400, "invalid", $"Invalid JSON payload received. {e.Message}"));
        }
    }

    private static (YouTubeVideoMetadata? Metadata, GoogleApiError? Error) ReadValidMetadata(JsonObject body, IQueryCollection query)
    {
        var snippet = body["snippet"] as JsonObject;
        var status = body["status"] as JsonObject;
        var title = snippet?["title"]?.GetValue<string>() ?? "";
        if (title.Length == 0 || title.Length > 100 || title.Contains('<') || title.Contains('>'))
        {
            return (null, new GoogleApiError(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.", "youtube.video",
                "body.snippet.title", "other"));
        }

        // §15.4: publishAt "can be set only if the privacy status of the video is private"; a bad value is invalidPublishAt.
        if (status?["publishAt"] is { } publishAtNode)
        {
            var privacyStatus = status["privacyStatus"]?.GetValue<string>();
            if (privacyStatus != "private" || !DateTimeOffset.TryParse(publishAtNode.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out _))
                return (null, new GoogleApiError(400, "invalidPublishAt", "The request metadata specifies an invalid scheduled publishing time.", "youtube.video",
                    "body.status.publishAt", "other"));
        }

        // §15.5: localizations need snippet.defaultLanguage first; both languages are BCP-47 tags (a malformed one is
        // refused as invalidVideoMetadata — the stored reference names no reason of its own for it).
        var defaultLanguage = snippet?["defaultLanguage"]?.GetValue<string>();
        var defaultAudioLanguage = snippet?["defaultAudioLanguage"]?.GetValue<string>();
        if (body["localizations"] is JsonObject { Count: > 0 } && defaultLanguage is null)
            return (null, new GoogleApiError(400, "defaultLanguageNotSet", "The request is trying to add localized video details without specifying the default language of the video details.",
                "youtube.video", "body.snippet.defaultLanguage", "other"));
        foreach (var (field, tag) in new[] { ("defaultLanguage", defaultLanguage), ("defaultAudioLanguage", defaultAudioLanguage) })
        {
            if (tag is not null && !LanguageTag().IsMatch(tag))
                return (null, new GoogleApiError(400, "invalidVideoMetadata", $"The request metadata is invalid: snippet.{field} '{tag}' is not a language tag.",
                    "youtube.video", $"body.snippet.{field}", "other"));
        }

        return (new YouTubeVideoMetadata(
            title,
            snippet?["description"]?.GetValue<string>() ?? "",
            (snippet?["tags"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToList() ?? [],
            snippet?["categoryId"]?.GetValue<string>() ?? "22",
            status?["privacyStatus"]?.GetValue<string>() ?? "public",
            status?["selfDeclaredMadeForKids"]?.GetValue<bool>(),
            status?["publishAt"]?.GetValue<string>(),
            query["part"].ToString(),
            query["notifySubscribers"].ToString() != "false")
        {
            DefaultLanguage = defaultLanguage,
            DefaultAudioLanguage = defaultAudioLanguage,
            ContainsSyntheticMedia = status?["containsSyntheticMedia"]?.GetValue<bool>(),
        }, null);
    }

    /// <summary>A BCP-47 tag as YouTube's i18nLanguages list spells them (en, pt-BR, zh-Hant, es-419).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    internal static partial System.Text.RegularExpressions.Regex LanguageTag();

    /// <summary>
    /// The checks every videos.insert makes before it takes bytes: the caller has a channel, the insert bucket and the
    /// channel's daily uploads are not spent; then one insert is charged (§6.7).
    /// </summary>
    internal static (GoogleAccount? Account, GoogleApiError? Error) ReserveInsert(SandboxState state, GoogleAccessToken token)
    {
        lock (state.Gate)
        {
            var account = state.GoogleAccounts[token.Sub];
            if (account.Channel is null)
            {
                return (null, new GoogleApiError(401, "youtubeSignupRequired", "Unauthorized", "youtube.header"));
            }

            state.Quota.Roll(state.Clock.GetUtcNow());
            if (state.Quota.InsertsUsed >= state.Settings.YoutubeDailyInsertQuota)
            {
                return (null, GoogleApiError.QuotaExceeded());
            }

            if (state.Quota.ChannelUploads.GetValueOrDefault(account.Channel.Id) >= state.Settings.YoutubeChannelDailyUploadLimit)
            {
                return (null, GoogleApiError.UploadLimitExceeded());
            }

            state.Quota.InsertsUsed++;
            return (account, null);
        }
    }

    /// <summary>videos.insert accepts <c>video/*</c> and <c>application/octet-stream</c> media (discovery <c>accept</c>, §6.3).</summary>
    internal static GoogleApiError? MediaTypeError(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) && mediaType.Length > 6
               || mediaType.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            ? null
            : new GoogleApiError(400, "badContent", $"Media type '{mediaType}' is not supported. Valid media types: [video/*, application/octet-stream]");
    }

    /// <summary>More bytes than <c>youtube_video_max_bytes</c> (the discovery document's maxSize, 256 GB).</summary>
    internal static GoogleApiError TooLarge(SandboxState state) =>
        new(413, "uploadTooLarge", $"Media larger than: {state.Settings.YoutubeVideoMaxBytes}");

    internal static async Task<JsonObject> ReadJsonBody(HttpContext context)
    {
        Stream body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        await using (body)
        {
            using var buffer = new MemoryStream();
            await body.CopyToAsync(buffer, context.RequestAborted);
            if (buffer.Length == 0)
            {
                return [];
            }

            buffer.Position = 0;
            return JsonNode.Parse(buffer) as JsonObject ?? [];
        }
    }

    private static async Task<IResult> PutChunk(HttpContext context, SandboxState state, ILoggerFactory loggers)
    {
        var uploadId = context.Request.Query["upload_id"].ToString();
        YouTubeUploadSession? session;
        lock (state.Gate)
        {
            session = state.UploadSessions.GetValueOrDefault(uploadId);
        }

        if (session is null || (session.VideoId is null && session.ExpiresAt <= state.Clock.GetUtcNow()))
        {
            return Results.Text("Not Found", "text/plain", statusCode: 404);
        }

        var range = context.Request.Headers.ContentRange.ToString();
        long start;
        long? end;
        long? total;
        if (range.Length == 0)
        {
            start = 0;
            end = null;
            total = session.TotalLength;
        }
        else if (!TryParseRange(range, out start, out end, out total))
        {
            return new GoogleApiError(400, "badRequest", $"Invalid Content-Range header: {range}").ToResult();
        }

        // One request at a time per session: bytes must arrive in order.
        await session.Gate.WaitAsync(context.RequestAborted);
        try
        {
            if (session.VideoId is not null)
            {
                return Completed(state, session);
            }

            if (total > state.Settings.YoutubeVideoMaxBytes)
            {
                return TooLarge(state).ToResult();
            }

            session.TotalLength ??= total;
            if (total is not null && session.TotalLength != total)
            {
                return new GoogleApiError(400, "badRequest", "The Content-Range total does not match the upload size.").ToResult();
            }

            var received = session.Media.Received;
            if (end is null && range.Length > 0)
            {
                // Status query (bytes */N): report what is committed.
                return Incomplete(context, received);
            }

            if (start > received)
            {
                return new GoogleApiError(400, "badRequest", $"Content-Range starts at {start} but only {received} bytes were received.").ToResult();
            }

            var chunkLength = end is null ? (session.TotalLength ?? long.MaxValue) - start : end.Value - start + 1;
            var final = session.TotalLength is { } size && start + chunkLength >= size;
            if (!final && chunkLength % ChunkGranularity != 0)
            {
                return new GoogleApiError(400, "badRequest",
                    $"Invalid request. The number of bytes uploaded is required to be equal or greater than 262144, except for the final request (it's recommended to be the exact multiple of 262144). The received request contained {chunkLength} bytes, which does not meet this requirement.").ToResult();
            }

            // Bytes the client re-sends below the committed offset are skipped; the rest extend the running hash.
            await SandboxHttp.PumpAsync(context.Request.Body, SkippingSink(received - start, session.Media.Append), end is null ? null : chunkLength, context.RequestAborted);
            loggers.CreateLogger("Orbyt.Sandbox.YouTube").UploadProgress("yt-" + session.Id[..8], session.Media.Received, session.TotalLength ?? -1);

            if (session.TotalLength is null && end is null)
            {
                session.TotalLength = session.Media.Received;
            }

            if (session.Media.Received >= session.TotalLength)
            {
                FinishUpload(context, state, session);
                return Completed(state, session);
            }

            return Incomplete(context, session.Media.Received);
        }
        finally
        {
            session.Gate.Release();
        }
    }

    /// <summary>A body sink that drops the first <paramref name="skip"/> bytes (re-sent below the committed offset) and hands on the rest.</summary>
    internal static Func<ReadOnlyMemory<byte>, ValueTask> SkippingSink(long skip, ReadOnlySpanAction append) => bytes =>
    {
        var span = bytes.Span;
        if (skip > 0)
        {
            var drop = (int)Math.Min(skip, span.Length);
            skip -= drop;
            span = span[drop..];
        }

        append(span);
        return ValueTask.CompletedTask;
    };

    internal delegate void ReadOnlySpanAction(ReadOnlySpan<byte> bytes);

    internal static IResult Incomplete(HttpContext context, long received)
    {
        if (received > 0)
        {
            context.Response.Headers.Range = $"bytes=0-{received - 1}";
        }

        return Results.StatusCode(308);
    }

    private static IResult Completed(SandboxState state, YouTubeUploadSession session)
    {
        lock (state.Gate)
        {
            return VideoResult(state, state.Videos[session.VideoId!]);
        }
    }

    /// <summary>videos.insert's answer: the new Video resource with the parts the request named.</summary>
    internal static IResult VideoResult(SandboxState state, YouTubeVideo video)
    {
        var parts = (video.Metadata.Part ?? "snippet,status").Split(',', StringSplitOptions.TrimEntries);
        return Results.Json(VideoResource(video, parts, state.Clock.GetUtcNow(), owner: true, state), SandboxJson.Verbatim);
    }

    private static void FinishUpload(HttpContext context, SandboxState state, YouTubeUploadSession session) =>
        session.VideoId = CreateVideo(context, state, session.ChannelId, session.Metadata, session.Media).Id;

    /// <summary>Records an uploaded video (counted against the channel's daily uploads) and what was received.</summary>
    internal static YouTubeVideo CreateVideo(HttpContext context, SandboxState state, string channelId, YouTubeVideoMetadata metadata, ReceivedMedia media)
    {
        var now = state.Clock.GetUtcNow();
        var fault = state.Faults.Take(FaultKinds.ProcessingFailure, "youtube", context.Request.Path.Value ?? "", context.Request.Method);
        var video = new YouTubeVideo
        {
            Id = state.Ids.VideoId(),
            ChannelId = channelId,
            Metadata = metadata,
            PrivacyStatus = YouTubeVideo.AppliedPrivacy(metadata.PrivacyStatus, state.Settings),
            UploadedAt = now,
            ProcessedAt = now.AddSeconds(state.Settings.YoutubeProcessingSeconds),
            Etag = state.Ids.Etag(),
            ByteLength = media.Received,
            Sha256 = media.Sha256,
            FinalStatus = fault is null ? null : RejectionReasons.Contains(fault.Reason) ? "rejected" : "failed",
            FinalReason = fault?.Reason,
        };
        lock (state.Gate)
        {
            state.Videos[video.Id] = video;
            state.Quota.Roll(now);
            state.Quota.ChannelUploads[channelId] = state.Quota.ChannelUploads.GetValueOrDefault(channelId) + 1;
            state.Published.Add(new PublishedItem(video.Id, "youtube", channelId, "video", metadata.Description, metadata.Title,
                video.ByteLength, video.Sha256, now, $"https://www.youtube.com/watch?v={video.Id}")
            {
                DefaultLanguage = metadata.DefaultLanguage,
                DefaultAudioLanguage = metadata.DefaultAudioLanguage,
                ContainsSyntheticMedia = metadata.ContainsSyntheticMedia,
                PublishAt = metadata.PublishAt,
            });
        }

        return video;
    }

    internal static bool TryParseRange(string header, out long start, out long? end, out long? total)
    {
        start = 0;
        end = null;
        total = null;
        if (!header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var spec = header[6..].Trim();
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var totalText = spec[(slash + 1)..];
        if (totalText != "*")
        {
            if (!long.TryParse(totalText, out var t))
            {
                return false;
            }

            total = t;
        }

        var rangeText = spec[..slash];
        if (rangeText == "*")
        {
            return true;
        }

        var dash = rangeText.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !long.TryParse(rangeText[..dash], out start) || !long.TryParse(rangeText[(dash + 1)..], out var e) || e < start)
        {
            return false;
        }

        end = e;
        return true;
    }
}
