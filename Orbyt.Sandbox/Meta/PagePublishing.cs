using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>Facebook Page publishing: feed, photos, videos (file_url, Resumable Upload API, legacy phases), reels.</summary>
internal static class PagePublishing
{
    private const long LegacyChunkSize = 1024 * 1024;
    private const long MaxPhotoBytes = 10L * 1024 * 1024;
    private const long MaxVideoBytes = 10L * 1024 * 1024 * 1024;
    private static readonly string[] PublishScopes = ["pages_manage_posts", "pages_read_engagement"];
    private static readonly string[] UploadFileTypes = ["application/pdf", "image/jpeg", "image/jpg", "image/png", "video/mp4"];

    /// <summary>Publishing needs a Page token of this Page whose user granted the publishing permissions.</summary>
    public static GraphError? RequirePageToken(SandboxState state, MetaCaller caller, FacebookPage page, string method = "post")
    {
        if (caller.Token.Type != MetaTokenType.Page || caller.Token.PageId != page.Id)
        {
            return caller.Token.Type == MetaTokenType.User && state.HasPageTask(caller.UserId, page)
                ? new GraphError(200, "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission; use a Page access token")
                : GraphError.UnknownObject(page.Id, method);
        }

        foreach (var scope in PublishScopes)
        {
            if (!caller.Has(scope))
            {
                return GraphError.Permission(scope);
            }
        }

        return null;
    }

    /// <summary>
    /// POST /{page-id}/feed (reference §12.1, §12.2): <c>message</c>, <c>link</c>, and <c>attached_media</c> — a JSON array
    /// or form fields <c>attached_media[n]</c>, each <c>{"media_fbid":"…"}</c> naming an unpublished photo of this Page that
    /// was not used before. <c>fields=permalink_url</c> is echoed on the answer.
    /// </summary>
    public static IResult Feed(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (RequirePageToken(state, caller, page) is { } error)
        {
            return error.ToResult();
        }

        var (ids, attachError) = AttachedMedia(request);
        if (attachError is not null)
        {
            return attachError.ToResult();
        }

        var message = request["message"];
        var link = request["link"];
        if (string.IsNullOrEmpty(message) && string.IsNullOrEmpty(link) && ids.Count == 0)
        {
            return new GraphError(100, "(#100) Missing message or attachment").ToResult();
        }

        if (link is { Length: > 0 } && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            // §12.9: "invalid URL" is subcode 2061006 in practice.
            return new GraphError(100, "(#100) The link is not a valid URL", 2061006).ToResult();
        }

        var postId = $"{page.Id}_{state.Ids.GraphId()}";
        List<PublishedChild> children = [];
        lock (state.Gate)
        {
            var photos = new List<FacebookPhoto>();
            foreach (var id in ids)
            {
                // Only an unpublished photo of this Page (§12.2); a video, another Page's photo or an unknown id is not media_fbid.
                if (!state.FacebookPhotos.TryGetValue(id, out var photo) || photo.PageId != page.Id)
                {
                    return GraphError.InvalidParameter($"attached_media: {id} is not an unpublished photo of this Page").ToResult();
                }

                // A photo goes out once: reusing one is "These photos were already posted" (§12.2, subcode 1366051).
                if (photo.UsedBy is not null || photos.Contains(photo))
                {
                    return new GraphError(100, "These photos were already posted.", 1366051).ToResult();
                }

                photos.Add(photo);
            }

            foreach (var photo in photos)
            {
                photo.UsedBy = postId;
                children.Add(new PublishedChild("photo", photo.ByteLength, photo.Sha256, photo.AltText, photo.Id));
            }

            state.Published.Add(new PublishedItem(postId, "facebook", page.Id, "feed", message, null, children.Sum(c => c.ByteLength), null,
                state.Clock.GetUtcNow(), $"https://www.facebook.com/{postId}", children.Count == 0 ? null : children)
            {
                Link = string.IsNullOrEmpty(link) ? null : link,
            });
        }

        return request.Fields("id").ContainsKey("permalink_url")
            ? GraphEndpoints.Json(new { id = postId, permalink_url = $"https://www.facebook.com/{postId}" })
            : GraphEndpoints.Json(new { id = postId });
    }

    /// <summary>The media_fbid values of attached_media, as a JSON array or as form fields attached_media[0], [1], ….</summary>
    private static (List<string> Ids, GraphError? Error) AttachedMedia(GraphRequest request)
    {
        var values = new List<string>();
        if (request["attached_media"] is { Length: > 0 } whole)
        {
            values.Add(whole);
        }

        for (var i = 0; request[$"attached_media[{i}]"] is { } one; i++)
        {
            values.Add(one);
        }

        var ids = new List<string>();
        foreach (var value in values)
        {
            try
            {
                using var json = System.Text.Json.JsonDocument.Parse(value);
                IEnumerable<System.Text.Json.JsonElement> entries = json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array
                    ? json.RootElement.EnumerateArray().ToList()
                    : [json.RootElement];
                foreach (var entry in entries)
                {
                    if (entry.ValueKind != System.Text.Json.JsonValueKind.Object || !entry.TryGetProperty("media_fbid", out var id) || id.GetString() is not { Length: > 0 } fbid)
                    {
                        return ([], GraphError.InvalidParameter("attached_media entries must be {\"media_fbid\":\"…\"}"));
                    }

                    ids.Add(fbid);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                return ([], GraphError.InvalidParameter("attached_media must be JSON"));
            }
        }

        return (ids, null);
    }

    /// <summary>
    /// GET /{page-id}/feed?fields=id,message,created_time,permalink_url: the Page's posts (feed posts and photo posts),
    /// newest first, <c>since</c> (unix seconds) and <c>limit</c> (25, up to 100) as on the other lists. Meta removed
    /// <c>link</c> and the attachment fields from this edge's default read in v3.3, so a post is told by its message.
    /// </summary>
    public static IResult ListFeed(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (caller.Token.Type != MetaTokenType.Page || caller.Token.PageId != page.Id)
        {
            return GraphError.UnknownObject(page.Id).ToResult();
        }

        if (!caller.Has("pages_read_engagement"))
        {
            return GraphError.Permission("pages_read_engagement", 10).ToResult();
        }

        List<PublishedItem> posts;
        lock (state.Gate)
        {
            posts = state.Published.Where(p => p.Platform == "facebook" && p.AccountId == page.Id && p.Type is "feed" or "photo").ToList();
        }

        var fields = request.Fields("id", "created_time", "message").Keys;
        return ListResult(request, posts.Select(p =>
        {
            var postId = p.Type == "photo" ? p.Permalink?[(p.Permalink.LastIndexOf('/') + 1)..] : p.Id;
            return (p.PublishedAt, (object)fields.ToDictionary(f => f, f => f switch
            {
                "id" => postId,
                "message" => p.Caption,
                "created_time" => GraphEndpoints.Iso(p.PublishedAt),
                "permalink_url" => p.Permalink,
                _ => (object?)null,
            }));
        }));
    }

    public static async Task<IResult> Photo(GraphRequest request, SandboxState state, MediaFetcher fetcher, MetaCaller caller, FacebookPage page, CancellationToken ct)
    {
        if (RequirePageToken(state, caller, page) is { } error)
        {
            return error.ToResult();
        }

        FetchedMedia media;
        if (request.Files?.GetFile("source") is { } file)
        {
            await using var stream = file.OpenReadStream();
            media = await HashStream(stream, MediaKind.Image, MaxPhotoBytes, ct);
        }
        else if (request["url"] is { Length: > 0 } url)
        {
            media = await fetcher.FetchAsync(url, MediaKind.Image, MaxPhotoBytes, ct);
        }
        else
        {
            return new GraphError(324, "(#324) Requires upload file").ToResult();
        }

        // §2.2 documents no error for a url Meta cannot read; what publishers record is 324 "Missing or invalid image
        // file" with subcode 2069019 and is_transient (docs/decisions.md, "Issue 15 — Facebook photo push"). A file
        // that is no image or over 10 MB (read or uploaded) is the same 324 without the subcode.
        if (media.Outcome != FetchOutcome.Ok)
        {
            return media.Outcome == FetchOutcome.Unreachable
                ? new GraphError(324, "(#324) Missing or invalid image file", 2069019, IsTransient: true).ToResult()
                : new GraphError(324, "(#324) Missing or invalid image file").ToResult();
        }

        var photoId = state.Ids.GraphId();
        var published = request.Flag("published", true);
        var postId = published ? $"{page.Id}_{state.Ids.GraphId()}" : null;
        if (!published)
        {
            // No post of its own: kept to be attached to one /feed post or made a photo story (§12.2, §12.5).
            lock (state.Gate)
            {
                state.FacebookPhotos[photoId] = new FacebookPhoto
                {
                    Id = photoId, PageId = page.Id, ByteLength = media.ByteLength, Sha256 = media.Sha256, AltText = request["alt_text_custom"],
                    CreatedAt = state.Clock.GetUtcNow(),
                };
            }
        }
        else
        {
            state.AddPublished(new PublishedItem(photoId, "facebook", page.Id, "photo", request["message"] ?? request["caption"], null,
                media.ByteLength, media.Sha256, state.Clock.GetUtcNow(), $"https://www.facebook.com/{postId}")
            {
                AltText = request["alt_text_custom"],
                PostId = postId,
            });
        }

        return GraphEndpoints.Json(new { id = photoId, post_id = postId });
    }

    public static async Task<IResult> Video(GraphRequest request, SandboxState state, MediaFetcher fetcher, MetaCaller caller, FacebookPage page, CancellationToken ct)
    {
        if (RequirePageToken(state, caller, page) is { } error)
        {
            return error.ToResult();
        }

        switch (request["upload_phase"])
        {
            case "start":
                return LegacyStart(request, state, page);
            case "transfer":
                return await LegacyTransfer(request, state, page, ct);
            case "finish":
                return LegacyFinish(request, state, page);
        }

        FetchedMedia media;
        if (request["fbuploader_video_file_chunk"] is { Length: > 0 } handle)
        {
            FacebookUploadSession? session;
            lock (state.Gate)
            {
                // A handle of the person behind this Page token, used once.
                session = state.FacebookUploads.Values.FirstOrDefault(s => s.Handle == handle && s.UserId == caller.UserId && !s.HandleUsed);
                if (session is not null)
                {
                    session.HandleUsed = true;
                }
            }

            if (session is null)
            {
                return GraphError.InvalidParameter("Invalid fbuploader_video_file_chunk handle").ToResult();
            }

            media = new FetchedMedia(FetchOutcome.Ok, session.Media.Received, session.Media.Sha256, null);
        }
        else if (request["file_url"] is { Length: > 0 } url)
        {
            media = await fetcher.FetchAsync(url, MediaKind.Mp4, MaxVideoBytes, ct);
        }
        else if (request.Files?.GetFile("source") is { } file)
        {
            await using var stream = file.OpenReadStream();
            media = await HashStream(stream, MediaKind.Mp4, MaxVideoBytes, ct);
        }
        else
        {
            return new GraphError(100, "(#100) Missing file_url, source or fbuploader_video_file_chunk").ToResult();
        }

        if (media.Outcome != FetchOutcome.Ok)
        {
            return media.Outcome == FetchOutcome.Unreachable
                ? new GraphError(389, "Unable to fetch video file from URL.").ToResult()
                : new GraphError(352, "Sorry, the video file you selected is in a format that we don't support.").ToResult();
        }

        var video = new FacebookVideo
        {
            Id = state.Ids.GraphId(),
            PageId = page.Id,
            IsReel = false,
            Title = request["title"],
            Description = request["description"],
            Sha256 = media.Sha256,
            ByteLength = media.ByteLength,
            ExpectedBytes = media.ByteLength,
        };
        Complete(state, request.Context, video);
        Publish(state, video, request.Flag("published", true));
        lock (state.Gate)
        {
            state.FacebookVideos[video.Id] = video;
        }

        return GraphEndpoints.Json(new { id = video.Id });
    }

    private static IResult LegacyStart(GraphRequest request, SandboxState state, FacebookPage page)
    {
        if (!long.TryParse(request["file_size"], out var size) || size <= 0)
        {
            return GraphError.MissingParameter("file_size").ToResult();
        }

        var video = new FacebookVideo
        {
            Id = state.Ids.GraphId(),
            PageId = page.Id,
            IsReel = false,
            ExpectedBytes = size,
            LegacySessionId = state.Ids.GraphId(),
        };
        lock (state.Gate)
        {
            state.FacebookVideos[video.Id] = video;
        }

        return GraphEndpoints.Json(new
        {
            upload_session_id = video.LegacySessionId,
            video_id = video.Id,
            start_offset = "0",
            end_offset = Math.Min(size, LegacyChunkSize).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static FacebookVideo? LegacyVideo(GraphRequest request, SandboxState state, FacebookPage page)
    {
        lock (state.Gate)
        {
            return state.FacebookVideos.Values.FirstOrDefault(v => v.PageId == page.Id && v.LegacySessionId == request["upload_session_id"]);
        }
    }

    private static async Task<IResult> LegacyTransfer(GraphRequest request, SandboxState state, FacebookPage page, CancellationToken ct)
    {
        var video = LegacyVideo(request, state, page);
        if (video is null)
        {
            return GraphError.InvalidParameter("Invalid upload_session_id").ToResult();
        }

        if (request.Files?.GetFile("video_file_chunk") is not { } chunk)
        {
            return GraphError.MissingParameter("video_file_chunk").ToResult();
        }

        lock (video)
        {
            if (!long.TryParse(request["start_offset"], out var start) || start != video.Media.Received)
            {
                return new GraphError(6001, "(#6001) There was a problem uploading your video. Please try again: start_offset does not match the bytes received.", 1363019).ToResult();
            }
        }

        await using (var stream = chunk.OpenReadStream())
        {
            await SandboxHttp.PumpAsync(stream, bytes =>
            {
                lock (video)
                {
                    video.Media.Append(bytes.Span);
                }

                return ValueTask.CompletedTask;
            }, video.ExpectedBytes - video.Media.Received, ct);
        }

        var received = video.Media.Received;
        var end = Math.Min(video.ExpectedBytes ?? received, received + LegacyChunkSize);
        return GraphEndpoints.Json(new
        {
            start_offset = received.ToString(System.Globalization.CultureInfo.InvariantCulture),
            end_offset = end.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private static IResult LegacyFinish(GraphRequest request, SandboxState state, FacebookPage page)
    {
        var video = LegacyVideo(request, state, page);
        if (video is null)
        {
            return GraphError.InvalidParameter("Invalid upload_session_id").ToResult();
        }

        lock (video)
        {
            if (video.Media.Received != video.ExpectedBytes)
            {
                return new GraphError(6001, "(#6001) There was a problem uploading your video. The upload is incomplete.", 1363030).ToResult();
            }

            if (video.UploadedAt is null)
            {
                video.Title = request["title"];
                video.Description = request["description"];
                video.Sha256 = video.Media.Sha256;
                video.ByteLength = video.Media.Received;
                Complete(state, request.Context, video);
                Publish(state, video, request.Flag("published", true));
            }
        }

        return GraphEndpoints.Json(new { success = true });
    }

    /// <summary>Meta's cap on reels a Page publishes through the API (reference §2.4, §12.4): 30 in a moving 24 hours.</summary>
    public const int ReelsPerDay = 30;

    /// <summary>
    /// POST /{page-id}/video_reels and /video_stories (reference §2.4, §12.4, §12.5): <c>upload_phase=start</c> → the video id
    /// and its rupload URL; the bytes go to rupload; <c>upload_phase=finish</c> publishes. A reel's finish is refused past
    /// 30 published reels in 24 h, and for a file outside 3–90 s (1363128) or between 16:9 and 9:16 (1363040); a story's
    /// for more than 60 s, and it answers the story's post_id.
    /// </summary>
    public static IResult VideoEdge(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page, bool story = false)
    {
        if (RequirePageToken(state, caller, page) is { } error)
        {
            return error.ToResult();
        }

        var phase = request["upload_phase"];
        if (phase == "start")
        {
            var video = new FacebookVideo { Id = state.Ids.GraphId(), PageId = page.Id, IsReel = !story, IsStory = story };
            lock (state.Gate)
            {
                state.FacebookVideos[video.Id] = video;
            }

            var version = GraphPath.Parse(request.Context.Request.Path.Value ?? "").Version ?? "v24.0";
            return GraphEndpoints.Json(new { video_id = video.Id, upload_url = $"{request.Context.PublicBase()}/rupload/video-upload/{version}/{video.Id}" });
        }

        if (phase != "finish")
        {
            return GraphError.MissingParameter("upload_phase").ToResult();
        }

        FacebookVideo? reel;
        lock (state.Gate)
        {
            reel = request["video_id"] is { } id ? state.FacebookVideos.GetValueOrDefault(id) : null;
        }

        if (reel is null || reel.PageId != page.Id || reel.IsStory != story || (!story && !reel.IsReel))
        {
            return GraphError.InvalidParameter("Invalid video_id").ToResult();
        }

        lock (state.Gate)
        {
            lock (reel)
            {
                if (reel.UploadedAt is null)
                {
                    return new GraphError(6000, "(#6000) There was a problem uploading your video file. Please try again: the upload is not complete.", 1363130).ToResult();
                }

                if (reel.VideoState is not null)
                {
                    // Finished before: the same answer again, nothing published twice.
                    return story ? GraphEndpoints.Json(new { success = true, post_id = reel.StoryPostId }) : GraphEndpoints.Json(new { success = true });
                }

                var shape = reel.Media.Inspector.Shape();
                if (shape?.DurationSeconds is { } seconds && (story ? seconds > 60 : seconds is < 3 or > 90))
                {
                    return new GraphError(100, story ? "(#100) A video story may last at most 60 seconds" : "(#100) Unsupported video duration: reels must last 3 to 90 seconds", 1363128).ToResult();
                }

                // "between 16x9 and 9x16": a landscape wider than 16:9 or a portrait taller than 9:16.
                if (!story && shape?.AspectRatio is { } ratio && (ratio > 16.0 / 9 + 0.01 || ratio < 9.0 / 16 - 0.01))
                {
                    return new GraphError(100, "(#100) Unsupported aspect ratio: the video must be between 16x9 and 9x16", 1363040).ToResult();
                }

                var videoState = story ? "PUBLISHED" : request["video_state"] ?? "PUBLISHED";
                var now = state.Clock.GetUtcNow();
                if (!story && videoState == "PUBLISHED"
                    && state.FacebookVideos.Values.Count(v => v.PageId == page.Id && v.IsReel && v.Published && v.PublishedAt > now.AddDays(-1)) >= ReelsPerDay)
                {
                    // The reference documents the cap but not its error [unverified]: the sandbox's choice, docs/decisions.md.
                    return new GraphError(100, $"(#100) Reels publishing limit reached: a Page can publish {ReelsPerDay} reels through the API in 24 hours").ToResult();
                }

                reel.VideoState = videoState;
                reel.Title = request["title"];
                reel.Description = story ? null : request["description"];
                if (story)
                {
                    reel.StoryPostId = state.Ids.GraphId();
                }

                Publish(state, reel, reel.VideoState == "PUBLISHED");
            }
        }

        return story ? GraphEndpoints.Json(new { success = true, post_id = reel.StoryPostId }) : GraphEndpoints.Json(new { success = true });
    }

    /// <summary>
    /// POST /{page-id}/photo_stories <c>photo_id</c> (reference §12.5): an unpublished photo of this Page, never used in a
    /// post → <c>{"success":true,"post_id"}</c>. No caption field exists.
    /// </summary>
    public static IResult PhotoStory(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (RequirePageToken(state, caller, page) is { } error)
        {
            return error.ToResult();
        }

        if (request["photo_id"] is not { Length: > 0 } photoId)
        {
            return GraphError.MissingParameter("photo_id").ToResult();
        }

        var postId = state.Ids.GraphId();
        lock (state.Gate)
        {
            if (!state.FacebookPhotos.TryGetValue(photoId, out var photo) || photo.PageId != page.Id)
            {
                return GraphError.InvalidParameter("photo_id must be an unpublished photo of this Page").ToResult();
            }

            if (photo.UsedBy is not null)
            {
                return new GraphError(100, "These photos were already posted.", 1366051).ToResult();
            }

            photo.UsedBy = postId;
            state.Published.Add(new PublishedItem(postId, "facebook", page.Id, "story", null, null, photo.ByteLength, photo.Sha256,
                state.Clock.GetUtcNow(), $"https://facebook.com/stories/{page.Id}/{postId}", [new PublishedChild("photo", photo.ByteLength, photo.Sha256, null, photo.Id)]));
        }

        return GraphEndpoints.Json(new { success = true, post_id = postId });
    }

    /// <summary>GET /{page-id}/stories (reference §12.5): post_id, status, creation_time, media_type (video|photo), media_id, url.</summary>
    public static IResult ListStories(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (caller.Token.Type != MetaTokenType.Page || caller.Token.PageId != page.Id)
        {
            return GraphError.UnknownObject(page.Id).ToResult();
        }

        List<PublishedItem> stories;
        lock (state.Gate)
        {
            stories = state.Published.Where(p => p.Platform == "facebook" && p.AccountId == page.Id && p.Type == "story").ToList();
        }

        return ListResult(request, stories.Select(p => (p.PublishedAt, (object)new
        {
            post_id = p.Id,
            status = "PUBLISHED",
            creation_time = p.PublishedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            media_type = p.Children?[0].Type ?? "video",
            media_id = p.Children?[0].Id,
            url = p.Permalink,
        })));
    }

    /// <summary>
    /// GET /{page-id}/video_reels (§2.4): the Page's reels, drafts included, with <c>since</c> (unix seconds) and one page of
    /// <c>limit</c> (25 by default, at most 100) — a client that counts the 30-per-24 h cap from one default page never
    /// sees more than 25.
    /// </summary>
    public static IResult ListReels(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (caller.Token.Type == MetaTokenType.Page && caller.Token.PageId != page.Id)
        {
            return GraphError.UnknownObject(page.Id).ToResult();
        }

        List<FacebookVideo> reels;
        lock (state.Gate)
        {
            reels = state.FacebookVideos.Values.Where(v => v.PageId == page.Id && v.IsReel && v.VideoState is not null).ToList();
        }

        // §2.4: since; §1.4: one page of `limit` items (25 by default, at most 100), newest first.
        var now = state.Clock.GetUtcNow();
        return ListResult(request, reels.Select(r => (r.PublishedAt ?? now,
            (object)new { id = r.Id, description = r.Description, updated_time = GraphEndpoints.Iso(r.PublishedAt ?? now) })));
    }

    /// <summary>
    /// GET /{page-id}/photos?type=uploaded&amp;fields=id,name,created_time,page_story_id: the Page's published photos,
    /// newest first, filtered by <c>since</c> (unix seconds), at most <c>limit</c> (25, up to 100). Without
    /// <c>type=uploaded</c> Graph lists the photos the Page is tagged in, which the sandbox never has.
    /// </summary>
    public static IResult ListPhotos(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (caller.Token.Type == MetaTokenType.Page && caller.Token.PageId != page.Id)
        {
            return GraphError.UnknownObject(page.Id).ToResult();
        }

        List<PublishedItem> photos;
        lock (state.Gate)
        {
            photos = request["type"] == "uploaded"
                ? state.Published.Where(p => p.Platform == "facebook" && p.AccountId == page.Id && p.Type == "photo").ToList()
                : [];
        }

        var fields = request.Fields("id", "created_time").Keys;
        return ListResult(request, photos.Select(p => (p.PublishedAt, (object)fields.ToDictionary(f => f, f => f switch
        {
            "id" => p.Id,
            "name" => p.Caption,
            "created_time" => GraphEndpoints.Iso(p.PublishedAt),
            "page_story_id" => p.Permalink?[(p.Permalink.LastIndexOf('/') + 1)..],
            "link" => p.Permalink,
            _ => (object?)null,
        }))));
    }

    /// <summary>GET /{page-id}/videos?fields=id,title,description,created_time,permalink_url: the Page's uploaded (non-reel) videos.</summary>
    public static IResult ListVideos(GraphRequest request, SandboxState state, MetaCaller caller, FacebookPage page)
    {
        if (caller.Token.Type == MetaTokenType.Page && caller.Token.PageId != page.Id)
        {
            return GraphError.UnknownObject(page.Id).ToResult();
        }

        List<FacebookVideo> videos;
        lock (state.Gate)
        {
            videos = state.FacebookVideos.Values.Where(v => v.PageId == page.Id && !v.IsReel && !v.IsStory && v.UploadedAt is not null).ToList();
        }

        var fields = request.Fields("id", "created_time").Keys;
        return ListResult(request, videos.Select(v => (v.UploadedAt!.Value, (object)fields.ToDictionary(f => f, f => f switch
        {
            "id" => v.Id,
            "title" => v.Title,
            "description" => v.Description,
            "created_time" => GraphEndpoints.Iso(v.UploadedAt!.Value),
            "permalink_url" => Permalink(v),
            _ => (object?)null,
        }))));
    }

    private static IResult ListResult(GraphRequest request, IEnumerable<(DateTimeOffset Created, object Item)> items)
    {
        var since = long.TryParse(request["since"], out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.MinValue;
        var limit = int.TryParse(request["limit"], out var l) ? Math.Clamp(l, 1, 100) : 25;
        var data = items.Where(i => i.Created >= since).OrderByDescending(i => i.Created).Take(limit).Select(i => i.Item).ToList();
        return GraphEndpoints.Json(new { data });
    }

    /// <summary>Marks the bytes complete and schedules processing (or a scripted processing failure).</summary>
    public static void Complete(SandboxState state, HttpContext context, FacebookVideo video)
    {
        var now = state.Clock.GetUtcNow();
        video.UploadedAt = now;
        video.ProcessedAt = now.AddSeconds(state.Settings.FacebookVideoProcessingSeconds);
        var fault = state.Faults.Take(FaultKinds.ProcessingFailure, "facebook", context.Request.Path.Value ?? "", context.Request.Method);
        if (fault is not null)
        {
            video.ProcessingError = fault.Message ?? "Resolution too low. Video must have a minimum resolution of 540p.";
        }
    }

    private static void Publish(SandboxState state, FacebookVideo video, bool published)
    {
        video.Published = published;
        video.PublishedAt = state.Clock.GetUtcNow();
        if (published && video.ProcessingError is null && video.IsStory)
        {
            state.Published.Add(new PublishedItem(video.StoryPostId!, "facebook", video.PageId, "story", null, null, video.ByteLength, video.Sha256,
                video.PublishedAt.Value, $"https://facebook.com/stories/{video.PageId}/{video.StoryPostId}", [new PublishedChild("video", video.ByteLength, video.Sha256, null, video.Id)]));
        }
        else if (published && video.ProcessingError is null)
        {
            state.AddPublished(new PublishedItem(video.Id, "facebook", video.PageId, video.IsReel ? "reel" : "video", video.Description, video.Title,
                video.ByteLength, video.Sha256, video.PublishedAt.Value, Permalink(video)));
        }
    }

    private static string Permalink(FacebookVideo video) => video.IsReel ? $"/reel/{video.Id}/" : $"/{video.PageId}/videos/{video.Id}/";

    /// <summary>GET /{video-id}?fields=status,permalink_url,published with the spellings seen from the live Graph API.</summary>
    public static IResult? TryGetVideo(GraphRequest request, SandboxState state, MetaCaller caller, string id)
    {
        FacebookVideo? video;
        lock (state.Gate)
        {
            video = state.FacebookVideos.GetValueOrDefault(id);
        }

        if (video is null)
        {
            return null;
        }

        if (caller.Token.PageId != video.PageId && caller.Token.Type != MetaTokenType.App)
        {
            return GraphError.UnknownObject(id).ToResult();
        }

        var now = state.Clock.GetUtcNow();
        var body = new Dictionary<string, object?> { ["id"] = video.Id };
        lock (video)
        {
            foreach (var field in request.Fields("id", "status").Keys)
            {
                switch (field)
                {
                    case "status":
                        body["status"] = Status(video, now);
                        break;
                    case "permalink_url":
                        body["permalink_url"] = Permalink(video);
                        break;
                    case "published":
                        body["published"] = video.Published && video.ProcessedAt <= now && video.ProcessingError is null;
                        break;
                    case "title":
                        body["title"] = video.Title;
                        break;
                    case "description":
                        body["description"] = video.Description;
                        break;
                }
            }
        }

        return GraphEndpoints.Json(body);
    }

    private static object Status(FacebookVideo video, DateTimeOffset now)
    {
        var uploaded = video.UploadedAt is not null;
        var processed = uploaded && video.ProcessingError is null && video.ProcessedAt <= now;
        object uploading = new { status = uploaded ? "complete" : "in_progress", bytes_transferred = uploaded ? video.ByteLength : video.Media.Received };
        object processing = !uploaded ? new { status = "not_started" }
            : video.ProcessingError is { } message ? new { status = "error", error = new { message } }
            : processed ? new { status = "complete" } : new { status = "in_progress" };
        object publishing = !processed || ((video.IsReel || video.IsStory) && video.VideoState is null) ? new { status = "not_started" }
            : new
            {
                status = "complete",
                publish_status = video.Published ? "published" : video.VideoState == "SCHEDULED" ? "scheduled" : "draft",
                publish_time = GraphEndpoints.Iso(video.PublishedAt ?? now),
            };
        var videoStatus = !uploaded ? "uploading" : video.ProcessingError is not null ? "error" : processed ? "ready" : "processing";
        return new { video_status = videoStatus, uploading_phase = uploading, processing_phase = processing, publishing_phase = publishing };
    }

    public static IResult StartUploadSession(GraphRequest request, SandboxState state, MetaCaller caller)
    {
        // The current guides ask for "a User access token" (reference §17.4); the exact refusal is not documented.
        if (caller.Token.Type != MetaTokenType.User || caller.UserId is null)
        {
            return new GraphError(100, "(#100) An upload session needs a User access token").ToResult();
        }

        if (!long.TryParse(request["file_length"], out var length) || length <= 0)
        {
            return GraphError.MissingParameter("file_length").ToResult();
        }

        var type = request["file_type"] ?? "";
        if (!UploadFileTypes.Contains(type))
        {
            return GraphError.InvalidParameter($"Invalid file_type '{type}'").ToResult();
        }

        var session = new FacebookUploadSession
        {
            Id = state.Ids.FacebookUploadSession(), FileLength = length, FileType = type, FileName = request["file_name"], UserId = caller.UserId,
        };
        lock (state.Gate)
        {
            state.FacebookUploads[session.Id] = session;
        }

        return GraphEndpoints.Json(new { id = "upload:" + session.Id });
    }

    /// <summary>POST upload:{id} (bytes from file_offset) and GET upload:{id} (the committed offset).</summary>
    public static async Task<IResult> UploadSession(GraphRequest request, SandboxState state, MetaCaller caller, string id, string method, CancellationToken ct)
    {
        FacebookUploadSession? session;
        lock (state.Gate)
        {
            session = state.FacebookUploads.GetValueOrDefault(id);
        }

        if (session is null || session.UserId != caller.UserId || caller.Token.Type != MetaTokenType.User)
        {
            return GraphError.UnknownObject("upload:" + id, method.ToLowerInvariant()).ToResult();
        }

        if (method == "POST")
        {
            var header = request.Context.Request.Headers["file_offset"].ToString();
            if (!long.TryParse(header, out var offset))
            {
                return GraphError.MissingParameter("file_offset").ToResult();
            }

            lock (session)
            {
                if (offset != session.Media.Received || session.Handle is not null)
                {
                    return new GraphError(100, $"(#100) Invalid file_offset {offset}: the session has {session.Media.Received} bytes", 1363037).ToResult();
                }
            }

            try
            {
                await SandboxHttp.PumpAsync(request.Context.Request.Body, bytes =>
                {
                    lock (session)
                    {
                        session.Media.Append(bytes.Span);
                    }

                    return ValueTask.CompletedTask;
                }, session.FileLength - offset, ct);
            }
            finally
            {
                lock (session)
                {
                    if (session.Media.Received == session.FileLength && session.Handle is null)
                    {
                        session.Handle = "2:" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{session.FileType}:{session.Id}:{session.Media.Sha256}"));
                    }
                }
            }
        }

        // The handle comes only in the answer to the POST that completes the file; GET tells the offset (reference §17.4).
        lock (session)
        {
            return session.Handle is { } h && method == "POST"
                ? GraphEndpoints.Json(new { h })
                : GraphEndpoints.Json(new { id = "upload:" + id, file_offset = session.Media.Received.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
    }

    public static async Task<FetchedMedia> HashStream(Stream stream, MediaKind kind, long maxBytes, CancellationToken ct)
    {
        using var media = new ReceivedMedia();
        var head = new List<byte>(16);
        var total = await SandboxHttp.PumpAsync(stream, bytes =>
        {
            if (head.Count < 16)
            {
                head.AddRange(bytes.Span[..Math.Min(bytes.Length, 16 - head.Count)].ToArray());
            }

            media.Append(bytes.Span);
            return ValueTask.CompletedTask;
        }, maxBytes + 1, ct);
        if (!MediaFetcher.Matches(kind, head.ToArray()))
        {
            return new FetchedMedia(FetchOutcome.WrongFormat, total, null, "unexpected file signature");
        }

        return total > maxBytes
            ? new FetchedMedia(FetchOutcome.TooLarge, total, null, null)
            : new FetchedMedia(FetchOutcome.Ok, total, media.Sha256, null);
    }
}
