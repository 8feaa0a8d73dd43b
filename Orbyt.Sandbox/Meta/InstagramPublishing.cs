using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>Instagram content publishing with Facebook Login: containers, media_publish, the publishing limit.</summary>
internal static class InstagramPublishing
{
    private const long MaxImageBytes = 8L * 1024 * 1024;
    private const long MaxReelBytes = 300L * 1024 * 1024;
    private const long MaxStoryVideoBytes = 100L * 1024 * 1024;

    /// <summary>
    /// A user token of someone with a task on the linked Page, or that Page's token, with instagram_basic +
    /// instagram_content_publish. When the person's role on the Page comes through a Business Portfolio, Meta also asks
    /// for ads_management or ads_read (reference §11.7; reading also accepts business_management).
    /// </summary>
    public static GraphError? RequireAccess(SandboxState state, MetaCaller caller, InstagramAccount ig, bool publish)
    {
        if (caller.Token.Type == MetaTokenType.InstagramUser)
        {
            return RequireInstagramLoginAccess(caller, ig, publish);
        }

        FacebookPage? page;
        lock (state.Gate)
        {
            page = ig.PageId is null ? null : state.Pages.GetValueOrDefault(ig.PageId);
        }

        var linked = caller.Token.Type switch
        {
            MetaTokenType.User => page is not null && state.HasPageTask(caller.UserId, page),
            MetaTokenType.Page => caller.Token.PageId == ig.PageId,
            _ => false,
        };
        if (!linked)
        {
            return GraphError.UnknownObject(ig.Id, publish ? "post" : "get");
        }

        if (!caller.Has("instagram_basic"))
        {
            return GraphError.Permission("instagram_basic", 10);
        }

        if (publish && !caller.Has("instagram_content_publish"))
        {
            return GraphError.Permission("instagram_content_publish", 10);
        }

        var adsGranted = caller.Has("ads_management") || caller.Has("ads_read") || (!publish && caller.Has("business_management"));
        return page is not null && !adsGranted && state.ActsThroughPortfolio(caller.UserId, page)
            ? new GraphError(200, "The calling app is missing the ads_management permission for the target.", Status: 403)
            : null;
    }

    /// <summary>
    /// Instagram Login (graph.instagram.com, reference §14.6): the Instagram User token of the account itself, with
    /// instagram_business_basic and, to publish, instagram_business_content_publish. No Page is involved.
    /// </summary>
    private static GraphError? RequireInstagramLoginAccess(MetaCaller caller, InstagramAccount ig, bool publish)
    {
        if (caller.UserId != ig.Id)
        {
            return GraphError.UnknownObject(ig.Id, publish ? "post" : "get");
        }

        if (!caller.Has("instagram_business_basic"))
        {
            return GraphError.Permission("instagram_business_basic", 10);
        }

        return publish && !caller.Has("instagram_business_content_publish") ? GraphError.Permission("instagram_business_content_publish", 10) : null;
    }

    public static IResult Account(GraphRequest request, SandboxState state, MetaCaller caller, InstagramAccount ig)
    {
        if (RequireAccess(state, caller, ig, publish: false) is { } error)
        {
            return error.ToResult();
        }

        var body = new Dictionary<string, object?> { ["id"] = ig.Id };
        foreach (var field in request.Fields("id").Keys)
        {
            if (field is "username" or "name")
            {
                body[field] = ig.Username;
            }
        }

        return GraphEndpoints.Json(body);
    }

    public static async Task<IResult> CreateContainer(
        GraphRequest request, SandboxState state, MediaFetcher fetcher, MetaCaller caller, InstagramAccount ig, CancellationToken ct)
    {
        if (RequireAccess(state, caller, ig, publish: true) is { } error)
        {
            return error.ToResult();
        }

        var caption = request["caption"];
        if (caption is { Length: > 2200 })
        {
            return GraphError.Instagram(36004, 2207010, "Caption too long", "The caption is too long. It must be 2,200 characters or fewer.").ToResult();
        }

        var mediaType = request["media_type"]?.ToUpperInvariant();
        // §13.1, §13.5: alt_text (≤ 1,000 characters) is for a feed image or a carousel's image child only.
        var altText = request["alt_text"];
        if (altText is not null && (altText.Length > 1000 || string.IsNullOrEmpty(request["image_url"]) || mediaType is "STORIES" or "CAROUSEL"))
        {
            return GraphError.InvalidParameter(altText.Length > 1000 ? "Param alt_text must be at most 1000 characters long." : "Param alt_text is only supported for images in feed posts and carousels.").ToResult();
        }

        // §13.1: a carousel child takes no caption (the parent carries it).
        if (caption is not null && request.Flag("is_carousel_item", false))
        {
            return GraphError.InvalidParameter("Param caption is not supported for carousel items.").ToResult();
        }

        if (ResumableRefusal(request, caller, mediaType) is { } resumableRefused)
        {
            return resumableRefused.ToResult();
        }

        // §13.1, §13.4: the options each kind of container takes, refused on every other kind.
        var carouselItem = request.Flag("is_carousel_item", false);
        var kind = InstagramMediaOptions.KindOf(mediaType, carouselItem, image: !string.IsNullOrEmpty(request["image_url"]));
        var (options, optionError) = InstagramMediaOptions.Read(request, state, kind);
        if (optionError is not null)
        {
            return optionError.ToResult();
        }

        // §13.4: Meta fetches the cover like the media — a public JPEG of at most 8 MB.
        if (options!.CoverUrl is { } coverUrl)
        {
            var cover = await fetcher.FetchAsync(coverUrl, MediaKind.Jpeg, MaxImageBytes, ct);
            if (Refuse(cover, coverUrl, image: true) is { } refusal)
            {
                return refusal.ToResult();
            }

            options.CoverSha256 = cover.Sha256;
            options.CoverByteLength = cover.ByteLength;
        }

        var now = state.Clock.GetUtcNow();
        var settings = state.Settings;
        var path = request.Context.Request.Path.Value ?? "";
        var failure = state.Faults.Take(FaultKinds.ProcessingFailure, "instagram", path, "POST");
        InstagramContainer container;
        if (mediaType == "CAROUSEL")
        {
            var children = (request["children"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (children.Length is < 2 or > 10)
            {
                return GraphError.Instagram(100, 2207028, "Carousel not valid", "Carousels need at least 2 photos/videos and no more than 10").ToResult();
            }

            List<InstagramContainer> items = [];
            lock (state.Gate)
            {
                foreach (var child in children)
                {
                    if (!state.Containers.TryGetValue(child, out var item) || item.IgUserId != ig.Id || !item.IsCarouselItem)
                    {
                        return GraphError.Instagram(24, 2207008, "Media builder expired", $"The media builder with creation id = {child} does not exist or has been expired.").ToResult();
                    }

                    items.Add(item);
                }
            }

            // Its status follows the children's (see Status), so it is "ready" as soon as they are.
            container = new InstagramContainer
            {
                Id = state.Ids.IgContainerId(),
                IgUserId = ig.Id,
                MediaType = "CAROUSEL",
                Caption = caption,
                Children = children,
                Options = options,
                CreatedAt = now,
                ReadyAt = now,
                ByteLength = items.Sum(i => i.ByteLength),
            };
        }
        else if (request["image_url"] is { Length: > 0 } imageUrl)
        {
            var media = await fetcher.FetchAsync(imageUrl, MediaKind.Jpeg, MaxImageBytes, ct);
            if (Refuse(media, imageUrl, image: true) is { } refusal)
            {
                return refusal.ToResult();
            }

            // §3.7/§4.4: feed and carousel images must be 4:5 … 1.91:1 (stories are recommended 9:16, not enforced).
            if (mediaType != "STORIES" && media.Shape?.AspectRatio is { } ratio && (ratio < 0.8 - 0.005 || ratio > 1.91 + 0.005))
            {
                return GraphError.Instagram(36003, 2207009, "Aspect ratio not supported", "The submitted image with aspect ratio is not supported. Please submit an image with aspect ratio between 4:5 and 1.91:1.",
                    "The aspect ratio is not supported.").ToResult();
            }

            container = new InstagramContainer
            {
                Id = state.Ids.IgContainerId(),
                IgUserId = ig.Id,
                MediaType = mediaType == "STORIES" ? "STORIES" : "IMAGE",
                Caption = caption,
                AltText = altText,
                IsCarouselItem = carouselItem,
                Options = options,
                CreatedAt = now,
                ReadyAt = now.AddSeconds(settings.IgImageProcessingSeconds),
                Sha256 = media.Sha256,
                ByteLength = media.ByteLength,
            };
        }
        else if (request["video_url"] is { Length: > 0 } videoUrl)
        {
            if (mediaType is not ("REELS" or "VIDEO" or "STORIES"))
            {
                return GraphError.Instagram(100, 2207023, "Unknown media type", "The media type is not supported; use media_type=REELS for videos.").ToResult();
            }

            if (mediaType == "REELS" && request.Flag("is_carousel_item", false))
            {
                return GraphError.Instagram(100, 2207023, "Unknown media type", "Reels cannot be carousel items; use media_type=VIDEO for a carousel video.").ToResult();
            }

            // §13.8: a story video is at most 100 MB, a Reel (or a carousel video) 300 MB.
            var media = await fetcher.FetchAsync(videoUrl, MediaKind.Mp4, mediaType == "STORIES" ? MaxStoryVideoBytes : MaxReelBytes, ct);
            if (Refuse(media, videoUrl, image: false) is { } refusal)
            {
                return refusal.ToResult();
            }

            // §13.4: thumb_offset outside [0, duration) → 1/2207057, known now that the video has been read.
            if (InstagramMediaOptions.OutOfRange(options.ThumbOffset, media.Shape?.DurationSeconds))
            {
                return InstagramMediaOptions.ThumbOffsetOutOfRange().ToResult();
            }

            container = new InstagramContainer
            {
                Id = state.Ids.IgContainerId(),
                IgUserId = ig.Id,
                MediaType = mediaType,
                Caption = caption,
                IsCarouselItem = carouselItem,
                IsVideo = true,
                CreatedAt = now,
                ReadyAt = now.AddSeconds(settings.IgVideoProcessingSeconds),
                Sha256 = media.Sha256,
                ByteLength = media.ByteLength,
                ErrorSubcode = VideoSpecViolation(mediaType, media.Shape, media.ByteLength),
                Options = options,
            };
        }
        else if (request["upload_type"] == "resumable")
        {
            // Checked by ResumableRefusal: a Reel, a video story or a video carousel item, with Facebook Login.
            container = new InstagramContainer
            {
                Id = state.Ids.IgContainerId(),
                IgUserId = ig.Id,
                MediaType = mediaType!,
                Caption = caption,
                IsCarouselItem = carouselItem,
                IsVideo = true,
                CreatedAt = now,
                Resumable = new ReceivedMedia(),
                Options = options,
            };
        }
        else
        {
            return GraphError.MissingParameter("image_url or video_url").ToResult();
        }

        if (failure is not null)
        {
            container.ErrorSubcode = failure.Subcode ?? failure.Code ?? 2207026;
        }

        lock (state.Gate)
        {
            state.Containers[container.Id] = container;
        }

        if (container.Resumable is not null)
        {
            var version = GraphPath.Parse(path).Version ?? "v24.0";
            return GraphEndpoints.Json(new { id = container.Id, uri = $"{Http.SandboxHttp.PublicBase(request.Context)}/rupload/ig-api-upload/{version}/{container.Id}" });
        }

        return GraphEndpoints.Json(new { id = container.Id });
    }

    /// <summary>
    /// <c>upload_type</c> (§13.7, §13.1, §14.6): only <c>resumable</c> (lowercase), only with Facebook Login
    /// (graph.instagram.com takes videos by <c>video_url</c> only), only for a video whose bytes come by rupload — a Reel
    /// (<c>REELS</c>), a video story (<c>STORIES</c>) or a carousel's video child (<c>VIDEO</c> with
    /// <c>is_carousel_item=true</c>) — never for an image (no <c>image_url</c>: an image has no upload path), never with a
    /// <c>video_url</c> as well, never a Reel as a carousel item. Null when the request has no upload_type or is one of those.
    /// </summary>
    private static GraphError? ResumableRefusal(GraphRequest request, MetaCaller caller, string? mediaType)
    {
        if (request["upload_type"] is not { } uploadType)
        {
            return null;
        }

        if (caller.Token.Type == MetaTokenType.InstagramUser)
        {
            // Local-file upload is a Facebook Login feature: graph.instagram.com takes videos by video_url only (§14.6).
            return GraphError.InvalidParameter("The parameter upload_type is not supported with Instagram Login; use video_url.");
        }

        if (uploadType != "resumable")
        {
            return GraphError.InvalidParameter($"Param upload_type must be one of {{resumable}}, got '{uploadType}'.");
        }

        if (!string.IsNullOrEmpty(request["image_url"]))
        {
            return GraphError.InvalidParameter("Param upload_type=resumable is only for videos; an image is given by image_url.");
        }

        if (!string.IsNullOrEmpty(request["video_url"]))
        {
            return GraphError.InvalidParameter("Param video_url cannot be used with upload_type=resumable; upload the bytes to the returned uri.");
        }

        var carouselItem = request.Flag("is_carousel_item", false);
        if (mediaType == "REELS" && carouselItem)
        {
            return GraphError.Instagram(100, 2207023, "Unknown media type", "Reels cannot be carousel items; use media_type=VIDEO for a carousel video.");
        }

        return mediaType switch
        {
            "REELS" or "STORIES" when !carouselItem => null,
            "VIDEO" when carouselItem => null,
            "VIDEO" => GraphError.InvalidParameter("Param media_type=VIDEO with upload_type=resumable is only for a carousel item (is_carousel_item=true); use REELS."),
            _ => GraphError.InvalidParameter("Param upload_type=resumable needs media_type REELS, STORIES, or VIDEO with is_carousel_item=true."),
        };
    }

    /// <summary>
    /// §13.8: a Reel lasts 3 s – 15 min, is at most 300 MB and between 0.01:1 and 10:1; a story video lasts 3 – 60 s, is
    /// at most 100 MB and between 0.1:1 and 10:1; both at most 1920 px wide. Meta accepts the container and then fails it
    /// (status ERROR, 2207026). Null when the video is within the spec (what the shape does not say passes).
    /// </summary>
    public static int? VideoSpecViolation(string? mediaType, MediaShape? shape, long byteLength)
    {
        var story = mediaType == "STORIES";
        var (maxSeconds, maxBytes, minRatio) = story ? (60, MaxStoryVideoBytes, 0.1) : (15 * 60, MaxReelBytes, 0.01);
        if (byteLength > maxBytes)
        {
            return 2207026;
        }

        return shape is null ? null
            : shape.DurationSeconds is { } d && (d < 3 || d > maxSeconds) || shape.Width > 1920
              || shape.AspectRatio is { } ratio && (ratio < minRatio || ratio > 10) ? 2207026 : null;
    }

    /// <summary>
    /// What a pushed (resumable) video's container ends in once all its bytes are in: the §13.8 spec first, then a
    /// thumb_offset beyond the video's end (1/2207057, §13.4), which only now can be known.
    /// </summary>
    public static int? ProcessingError(InstagramContainer container, MediaShape? shape, long byteLength) =>
        VideoSpecViolation(container.MediaType, shape, byteLength)
        ?? (InstagramMediaOptions.OutOfRange(container.Options.ThumbOffset, shape?.DurationSeconds) ? 2207057 : null);

    private static GraphError? Refuse(FetchedMedia media, string url, bool image) => media.Outcome switch
    {
        FetchOutcome.Ok => null,
        FetchOutcome.Unreachable => GraphError.Instagram(9004, 2207052, "Media download has failed", $"The media could not be fetched from this uri: {url}",
            "Only photo or video can be accepted as media type."),
        FetchOutcome.TooLarge when image => GraphError.Instagram(36000, 2207004, "Image size too large", "The image is too large to download. It should be less than 8 MiB.",
            "The image size is too large."),
        FetchOutcome.WrongFormat when image => GraphError.Instagram(36001, 2207005, "Unsupported image format", "The image format is not supported. Only JPEG images are supported.",
            "The image format is not supported."),
        _ => GraphError.Instagram(352, 2207026, "Unsupported video format", "The video format is not supported. Please check the spec for supported video formats.",
            "The video format is not supported."),
    };

    /// <summary>
    /// A container's status_code and, for ERROR, the subcode. A carousel is only as far as its least advanced child:
    /// a failed or expired child fails it, one still processing keeps it IN_PROGRESS (caller holds the gate).
    /// </summary>
    public static (string Code, int? ErrorSubcode) Status(SandboxState state, InstagramContainer container, DateTimeOffset now)
    {
        if (container.PublishedMediaId is not null)
        {
            return ("PUBLISHED", null);
        }

        if (container.CreatedAt + TimeSpan.FromHours(state.Settings.IgContainerTtlHours) <= now)
        {
            return ("EXPIRED", null);
        }

        if (container.ErrorSubcode is not null && (container.ReadyAt is null || container.ReadyAt <= now))
        {
            return ("ERROR", container.ErrorSubcode);
        }

        if (container.ReadyAt is null || container.ReadyAt > now)
        {
            return ("IN_PROGRESS", null);
        }

        var children = container.Children.Select(id => Status(state, state.Containers[id], now)).ToList();
        foreach (var blocking in new[] { "ERROR", "EXPIRED", "IN_PROGRESS" })
        {
            if (children.FirstOrDefault(c => c.Code == blocking) is { Code: not null } child)
            {
                return child;
            }
        }

        return ("FINISHED", null);
    }

    public static IResult Publish(GraphRequest request, SandboxState state, MetaCaller caller, InstagramAccount ig)
    {
        if (RequireAccess(state, caller, ig, publish: true) is { } error)
        {
            return error.ToResult();
        }

        var creationId = request["creation_id"];
        if (string.IsNullOrEmpty(creationId))
        {
            return GraphError.MissingParameter("creation_id").ToResult();
        }

        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            if (!state.Containers.TryGetValue(creationId, out var container) || container.IgUserId != ig.Id || container.IsCarouselItem)
            {
                return GraphError.Instagram(24, 2207008, "Media builder expired", $"The media builder with creation id = {creationId} does not exist or has been expired.",
                    "The requested resource does not exist").ToResult();
            }

            var (status, errorSubcode) = Status(state, container, now);
            switch (status)
            {
                case "IN_PROGRESS":
                    return GraphError.Instagram(9007, 2207027, "Media ID is not available", "The media is not ready for publishing, please wait for a moment",
                        "Media ID is not available").ToResult();
                case "ERROR":
                    return GraphError.Instagram(9007, 2207027, "Media ID is not available", $"The media failed processing (error code {errorSubcode}).",
                        "Media ID is not available").ToResult();
                case "EXPIRED":
                    return GraphError.Instagram(-2, 2207020, "Media expired", "The media you are trying to access has expired. Please try to upload again.",
                        "The media has expired").ToResult();
                case "PUBLISHED":
                    return GraphError.Instagram(9007, 2207027, "Media already published", $"The media with creation id = {creationId} has already been published.",
                        "Media ID is not available").ToResult();
            }

            if (UsedQuota(state, ig, now) >= state.Settings.IgContentPublishingLimit)
            {
                return GraphError.Instagram(9, 2207042, "Max posts reached", "You reached maximum number of posts that is allowed to be published by Content Publishing API.",
                    "Application request limit reached").ToResult();
            }

            var productType = container.MediaType is "REELS" or "VIDEO" ? "REELS" : container.MediaType == "STORIES" ? "STORY" : "FEED";
            var media = new InstagramMedia
            {
                Id = state.Ids.IgMediaId(),
                IgUserId = ig.Id,
                ContainerId = container.Id,
                // §13.3: a story reports IMAGE or VIDEO (media_product_type STORY tells it apart).
                MediaType = container.MediaType == "CAROUSEL" ? "CAROUSEL_ALBUM" : container.IsVideo ? "VIDEO" : "IMAGE",
                ProductType = productType,
                Caption = container.Caption,
                Shortcode = state.Ids.Shortcode(),
                Timestamp = now,
            };
            container.PublishedMediaId = media.Id;
            state.InstagramMedia[media.Id] = media;
            var children = container.Children.Select(c => state.Containers[c])
                .Select(c => new PublishedChild(c.IsVideo ? "video" : "image", c.ByteLength, c.Sha256 ?? c.Resumable?.Sha256, c.AltText) { UserTags = c.Options.UserTags }).ToList();
            state.Published.Add(new PublishedItem(media.Id, "instagram", ig.Id, container.MediaType.ToLowerInvariant(), container.Caption, null,
                container.ByteLength, container.Sha256 ?? container.Resumable?.Sha256, now, Permalink(media), children.Count > 0 ? children : null)
            {
                AltText = container.AltText,
                ShareToFeed = container.Options.ShareToFeed,
                CoverSha256 = container.Options.CoverSha256,
                CoverByteLength = container.Options.CoverByteLength,
                ThumbOffset = container.Options.ThumbOffset,
                Collaborators = container.Options.Collaborators,
                LocationId = container.Options.LocationId,
                LocationName = container.Options.LocationId is { } place ? state.Places.GetValueOrDefault(place)?.Name : null,
                UserTags = container.Options.UserTags,
            });
            return GraphEndpoints.Json(new { id = media.Id });
        }
    }

    private static int UsedQuota(SandboxState state, InstagramAccount ig, DateTimeOffset now) =>
        (ig.ExtraPublishedAt > now.AddDays(-1) ? ig.ExtraPublishedForQuota : 0) + state.InstagramMedia.Values.Count(m => m.IgUserId == ig.Id && m.Timestamp > now.AddDays(-1));

    public static IResult PublishingLimit(GraphRequest request, SandboxState state, MetaCaller caller, InstagramAccount ig)
    {
        if (RequireAccess(state, caller, ig, publish: false) is { } error)
        {
            return error.ToResult();
        }

        var fields = request.Fields("quota_usage");
        var entry = new Dictionary<string, object?>();
        lock (state.Gate)
        {
            if (fields.ContainsKey("quota_usage"))
            {
                entry["quota_usage"] = UsedQuota(state, ig, state.Clock.GetUtcNow());
            }
        }

        if (fields.ContainsKey("config"))
        {
            entry["config"] = new { quota_total = state.Settings.IgContentPublishingLimit, quota_duration = 86400 };
        }

        return GraphEndpoints.Json(new { data = new[] { entry } });
    }

    private static string Permalink(InstagramMedia media) =>
        media.ProductType == "REELS" ? $"https://www.instagram.com/reel/{media.Shortcode}/" : $"https://www.instagram.com/p/{media.Shortcode}/";

    /// <summary>GET of a container or a published IG media id, or null when the id is neither.</summary>
    public static IResult? TryGetObject(GraphRequest request, SandboxState state, MetaCaller caller, string id)
    {
        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            if (state.Containers.TryGetValue(id, out var container))
            {
                var ig = state.InstagramAccounts[container.IgUserId];
                if (RequireAccess(state, caller, ig, publish: false) is { } error)
                {
                    return error.ToResult();
                }

                var (code, errorSubcode) = Status(state, container, now);
                var body = new Dictionary<string, object?> { ["id"] = container.Id };
                var fields = request.Fields("id", "status_code");
                if (fields.ContainsKey("status_code"))
                {
                    body["status_code"] = code;
                }

                if (fields.ContainsKey("status"))
                {
                    body["status"] = code switch
                    {
                        "ERROR" => $"Error: Media upload has failed with error code {errorSubcode}",
                        "IN_PROGRESS" => "In Progress: Media is still being processed.",
                        "EXPIRED" => "Expired: Media was not published within 24 hours.",
                        "PUBLISHED" => "Published: Media has been published.",
                        _ => "Finished: Media has been uploaded and it is ready to be published.",
                    };
                }

                if (fields.ContainsKey("video_status") && container.Resumable is not null)
                {
                    body["video_status"] = new
                    {
                        uploading_phase = new { status = container.ReadyAt is null ? "in_progress" : "complete", bytes_transferred = container.Resumable.Received },
                    };
                }

                return GraphEndpoints.Json(body);
            }

            if (state.InstagramMedia.TryGetValue(id, out var media))
            {
                var ig = state.InstagramAccounts[media.IgUserId];
                if (RequireAccess(state, caller, ig, publish: false) is { } error)
                {
                    return error.ToResult();
                }

                var body = new Dictionary<string, object?> { ["id"] = media.Id };
                foreach (var field in request.Fields("id").Keys)
                {
                    body[field] = field switch
                    {
                        "id" => media.Id,
                        "permalink" => Permalink(media),
                        "media_type" => media.MediaType,
                        "media_product_type" => media.ProductType,
                        "timestamp" => GraphEndpoints.Iso(media.Timestamp),
                        "caption" => media.Caption,
                        "shortcode" => media.Shortcode,
                        "username" => ig.Username,
                        _ => null,
                    };
                }

                return GraphEndpoints.Json(body);
            }
        }

        return null;
    }
}
