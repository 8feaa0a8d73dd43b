using System.Text.Json.Nodes;
using Orbyt.Sandbox.Google;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.Mux;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Control;

/// <summary>The control API under /_sandbox/: identities, faults, latency, clock, reset, inspection (snake_case JSON).</summary>
internal static class ControlEndpoints
{
    public static IEndpointRouteBuilder MapControlEndpoints(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_sandbox").DisableAntiforgery();
        control.MapPost("/reset", (SandboxState state, ILogger<SandboxState> logger) =>
        {
            state.Reset();
            logger.SandboxReset();
            return Ok(new { reset = true });
        });

        control.MapGet("/clock", (SandboxState state) => Ok(Clock(state)));
        control.MapPost("/clock/advance", (ClockAdvance request, SandboxState state, ILogger<SandboxState> logger) =>
        {
            state.Clock.Advance(TimeSpan.FromSeconds(request.Seconds));
            logger.ClockAdvanced(request.Seconds);
            return Ok(Clock(state));
        });

        control.MapGet("/settings", (SandboxState state) => Ok(state.Settings));
        control.MapPost("/settings", (JsonObject patch, SandboxState state) =>
        {
            try
            {
                lock (state.Gate)
                {
                    state.Settings = state.Settings.Merge(patch);
                }

                return Ok(state.Settings);
            }
            catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
            {
                return Problem(e.Message);
            }
        });

        control.MapGet("/identities", (SandboxState state) =>
        {
            lock (state.Gate)
            {
                return Ok(new { data = state.Identities.Select(i => Describe(state, i)).ToList() });
            }
        });
        control.MapPost("/identities", (IdentityRequest? request, SandboxState state, ILogger<SandboxState> logger) =>
        {
            var identity = state.CreateIdentity(request ?? new IdentityRequest());
            logger.IdentityCreated(identity.Id);
            lock (state.Gate)
            {
                return Ok(Describe(state, identity), 201);
            }
        });
        control.MapGet("/identities/{id}", (string id, SandboxState state) =>
        {
            lock (state.Gate)
            {
                var identity = state.Identities.FirstOrDefault(i => i.Id == id);
                return identity is null ? Problem($"No identity {id}", 404) : Ok(Describe(state, identity));
            }
        });
        control.MapPost("/identities/{id}/revoke", (string id, RevokeRequest request, SandboxState state) => Revoke(state, id, request.Platform));

        control.MapPost("/tokens/expire", (TokenFault request, SandboxState state) => ExpireToken(state, request.Token));
        control.MapPost("/tokens/invalidate", (TokenFault request, SandboxState state) =>
        {
            var subcode = request.Subcode ?? 467;
            if (!Meta.GraphError.TokenSubcodes.Contains(subcode))
            {
                return Problem($"subcode must be one of {string.Join(", ", Meta.GraphError.TokenSubcodes)}");
            }

            lock (state.Gate)
            {
                if (!state.MetaTokens.TryGetValue(request.Token, out var token))
                {
                    return Problem("Unknown Meta token", 404);
                }

                token.InvalidSubcode = subcode;
                return Ok(new { token = "invalidated", subcode = token.InvalidSubcode });
            }
        });

        // Bulk grants for load tests (bench/TokenRefresher): refresh tokens without running a consent per grant.
        control.MapPost("/google/grants", (GoogleGrantsRequest request, SandboxState state) =>
        {
            if (request.Count is < 1 or > 100_000)
            {
                return Problem("count must be 1–100000");
            }

            string[] scopes = request.Scopes is { Length: > 0 } s
                ? s
                : ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly"];
            var tokens = new List<string>(request.Count);
            lock (state.Gate)
            {
                for (var i = 0; i < request.Count; i++)
                {
                    var grant = new GoogleGrant { Id = $"grant-{state.Ids.Next()}", Sub = request.Sub ?? "bulk-sub", Scopes = [.. scopes], RefreshToken = state.Ids.GoogleRefreshToken() };
                    state.GoogleGrants[grant.Id] = grant;
                    tokens.Add(grant.RefreshToken);
                }
            }

            return Ok(new { refresh_tokens = tokens });
        });

        control.MapGet("/faults", (SandboxState state) => Ok(new { data = state.Faults.List() }));
        control.MapPost("/faults", (FaultRule rule, SandboxState state) =>
        {
            try
            {
                return Ok(state.Faults.Add(rule), 201);
            }
            catch (ArgumentException e)
            {
                return Problem(e.Message);
            }
        });
        control.MapDelete("/faults", (SandboxState state) =>
        {
            state.Faults.Clear();
            return Ok(new { cleared = true });
        });

        control.MapGet("/latency", (SandboxState state) => Ok(state.Latency.Describe()));
        control.MapPost("/latency", (LatencyRequest request, SandboxState state) =>
        {
            try
            {
                state.Latency.Set(request.Rules ?? [], request.Seed ?? 1);
                return Ok(state.Latency.Describe());
            }
            catch (ArgumentException e)
            {
                return Problem(e.Message);
            }
        });
        control.MapDelete("/latency", (SandboxState state) =>
        {
            state.Latency.Clear();
            return Ok(state.Latency.Describe());
        });

        control.MapPost("/youtube/playlists", (PlaylistRequest request, SandboxState state) =>
            YouTube.YouTubeExtrasEndpoints.CreatePlaylist(state, request.ChannelId, request.Title, request.MaxItems));
        control.MapPost("/quotas/exhaust", (QuotaExhaustion request, SandboxState state) => Exhaust(state, request));
        control.MapGet("/quotas", (SandboxState state) =>
        {
            lock (state.Gate)
            {
                state.Quota.Roll(state.Clock.GetUtcNow());
                return Ok(new
                {
                    youtube = new
                    {
                        day = state.Quota.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                        inserts_used = state.Quota.InsertsUsed,
                        inserts_limit = state.Settings.YoutubeDailyInsertQuota,
                        units_used = state.Quota.UnitsUsed,
                        units_limit = state.Settings.YoutubeDailyUnitQuota,
                        channel_uploads = state.Quota.ChannelUploads,
                    },
                });
            }
        });
        control.MapPost("/usage", (UsageScript script, SandboxState state) =>
        {
            state.Usage.Override(script.App, script.Business);
            return Ok(new { usage = "scripted" });
        });
        control.MapPost("/facebook/{pageId}/reels", (string pageId, PageReelsRequest request, SandboxState state) =>
        {
            lock (state.Gate)
            {
                if (!state.Pages.ContainsKey(pageId))
                {
                    return Problem($"No Page {pageId}", 404);
                }

                if (request.Count is < 1 or > 100)
                {
                    return Problem("count must be 1–100");
                }

                var now = state.Clock.GetUtcNow();
                for (var i = 0; i < request.Count; i++)
                {
                    var id = state.Ids.GraphId();
                    state.FacebookVideos[id] = new FacebookVideo
                    {
                        Id = id, PageId = pageId, IsReel = true, VideoState = "PUBLISHED", Published = true, PublishedAt = now, UploadedAt = now, ProcessedAt = now,
                    };
                }

                return Ok(new { page_id = pageId, reels = request.Count });
            }
        });
        control.MapPost("/instagram/{igUserId}/restriction", (string igUserId, InstagramRestriction request, SandboxState state) =>
        {
            lock (state.Gate)
            {
                if (!state.InstagramAccounts.TryGetValue(igUserId, out var ig))
                {
                    return Problem($"No Instagram account {igUserId}", 404);
                }

                if (request.Hours < 0)
                {
                    return Problem("hours must be 0 or more");
                }

                ig.RestrictedUntil = request.Hours == 0 ? null : state.Clock.GetUtcNow().AddHours(request.Hours);
                return Ok(new { ig_user_id = igUserId, restricted_until = ig.RestrictedUntil });
            }
        });

        control.MapGet("/published", ([Microsoft.AspNetCore.Mvc.FromQuery(Name = "account_id")] string? accountId, string? platform, SandboxState state) =>
        {
            lock (state.Gate)
            {
                var items = state.Published
                    .Where(p => accountId is null || p.AccountId == accountId)
                    .Where(p => platform is null || p.Platform == platform)
                    .ToList();
                return Ok(new { data = items });
            }
        });
        control.MapGet("/calls", (SandboxState state) => Ok(new
        {
            paths = state.Calls.PerPath,
            refresh_grants = state.Calls.RefreshGrants,
            recent = state.Calls.Recent.TakeLast(200),
        }));

        control.MapPost("/mux/assets", (MuxAssetRequest? request, HttpContext context, SandboxState state) => CreateMuxAsset(context, state, request ?? new MuxAssetRequest()));
        control.MapGet("/mux/assets/{id}", (string id, HttpContext context, SandboxState state) =>
        {
            lock (state.Gate)
            {
                return state.MuxAssets.TryGetValue(id, out var asset) ? Ok(DescribeAsset(context, state, asset, "highest")) : Problem($"No asset {id}", 404);
            }
        });

        control.MapPost("/mux/assets/{id}/signed-url", (string id, MuxSignedUrlRequest? request, HttpContext context, SandboxState state, MuxSigning signing) =>
            SignMuxUrl(id, request ?? new MuxSignedUrlRequest(), context, state, signing));

        control.MapGet("/media/image.jpg", () => Results.File(TestImages.Jpeg, "image/jpeg"));
        control.MapGet("/media/image.png", () => Results.File(TestImages.Png, "image/png"));
        control.MapGet("/media/not-found", () => Results.NotFound());
        return app;
    }

    private static IResult Ok(object body, int status = 200) => Results.Json(body, SandboxJson.Snake, statusCode: status);

    private static IResult Problem(string detail, int status = 400) => Results.Problem(detail: detail, statusCode: status);

    private static object Clock(SandboxState state)
    {
        var now = state.Clock.GetUtcNow();
        return new { now = now.ToString("O"), unix = now.ToUnixTimeSeconds(), offset_seconds = state.Clock.Offset.TotalSeconds };
    }

    private static object Describe(SandboxState state, Identity identity) => new
    {
        id = identity.Id,
        name = identity.Name,
        meta = identity.Meta is null ? null : new
        {
            user_id = identity.Meta.Id,
            name = identity.Meta.Name,
            pages = identity.Meta.PageIds.Select(id => state.Pages[id]).Select(p => new
            {
                id = p.Id,
                name = p.Name,
                instagram_business_account = p.IgUserId is null ? null : new { id = p.IgUserId, username = state.InstagramAccounts[p.IgUserId].Username },
            }),
            businesses = identity.Meta.BusinessIds.Select(id => state.Businesses[id]).Select(b => new
            {
                id = b.Id,
                name = b.Name,
                owned_pages = b.OwnedPageIds.Select(id => DescribePortfolioPage(state, identity.Meta, id)),
                client_pages = b.ClientPageIds.Select(id => DescribePortfolioPage(state, identity.Meta, id)),
            }),
        },
        instagram_accounts = identity.InstagramAccountIds.Select(id => state.InstagramAccounts[id]).Select(a => new
        {
            id = a.Id,
            username = a.Username,
            account_type = a.AccountType,
            page_id = a.PageId,
        }),
        google = identity.Google is null ? null : new
        {
            sub = identity.Google.Sub,
            email = identity.Google.Email,
            channel = identity.Google.Channel is null ? null : new
            {
                id = identity.Google.Channel.Id,
                title = identity.Google.Channel.Title,
                custom_url = identity.Google.Channel.CustomUrl,
            },
        },
    };

    private static object DescribePortfolioPage(SandboxState state, MetaUser user, string pageId)
    {
        var page = state.Pages[pageId];
        return new
        {
            id = page.Id,
            name = page.Name,
            has_task = user.PortfolioTaskPageIds.Contains(page.Id),
            instagram_business_account = page.IgUserId is null ? null : new { id = page.IgUserId, username = state.InstagramAccounts[page.IgUserId].Username },
        };
    }

    private static IResult Revoke(SandboxState state, string id, string platform)
    {
        lock (state.Gate)
        {
            var identity = state.Identities.FirstOrDefault(i => i.Id == id);
            if (identity is null)
            {
                return Problem($"No identity {id}", 404);
            }

            var count = 0;
            if (platform == "meta" && identity.Meta is not null)
            {
                foreach (var grant in state.MetaGrants.Values.Where(g => g.UserId == identity.Meta.Id))
                {
                    grant.Revoked = true;
                    count++;
                }
            }
            else if (platform == "instagram" && identity.InstagramAccountIds.Count > 0)
            {
                // Instagram Login grants: the person removed the app in Instagram's settings.
                foreach (var grant in state.MetaGrants.Values.Where(g => g.AppId == state.Options.Meta.InstagramAppId && identity.InstagramAccountIds.Contains(g.UserId)))
                {
                    grant.Revoked = true;
                    count++;
                }
            }
            else if (platform == "google" && identity.Google is not null)
            {
                foreach (var grant in state.GoogleGrants.Values.Where(g => g.Sub == identity.Google.Sub && !g.Revoked).ToList())
                {
                    GoogleOAuthEndpoints.RevokeGrant(state, grant);
                    count++;
                }
            }
            else
            {
                return Problem("platform must be 'meta', 'instagram' or 'google' and the identity must have that account");
            }

            return Ok(new { revoked_grants = count });
        }
    }

    private static IResult ExpireToken(SandboxState state, string value)
    {
        var past = state.Clock.GetUtcNow().AddSeconds(-1);
        lock (state.Gate)
        {
            if (state.MetaTokens.TryGetValue(value, out var meta))
            {
                meta.ExpiresAt = past;
                return Ok(new { expired = "meta_token" });
            }

            if (state.GoogleTokens.TryGetValue(value, out var access))
            {
                access.ExpiresAt = past;
                return Ok(new { expired = "google_access_token" });
            }

            var grant = state.GoogleGrants.Values.FirstOrDefault(g => g.RefreshToken == value);
            if (grant is not null)
            {
                grant.RefreshTokenExpired = true;
                return Ok(new { expired = "google_refresh_token" });
            }

            return Problem("Unknown token", 404);
        }
    }

    private static IResult Exhaust(SandboxState state, QuotaExhaustion request)
    {
        lock (state.Gate)
        {
            state.Quota.Roll(state.Clock.GetUtcNow());
            switch (request.Quota)
            {
                case "youtube_inserts":
                    state.Quota.InsertsUsed = state.Settings.YoutubeDailyInsertQuota;
                    break;
                case "youtube_units":
                    state.Quota.UnitsUsed = state.Settings.YoutubeDailyUnitQuota;
                    break;
                case "youtube_channel_uploads" when request.AccountId is not null:
                    state.Quota.ChannelUploads[request.AccountId] = state.Settings.YoutubeChannelDailyUploadLimit;
                    break;
                case "instagram_publishing" when request.AccountId is not null && state.InstagramAccounts.TryGetValue(request.AccountId, out var ig):
                    ig.ExtraPublishedForQuota = state.Settings.IgContentPublishingLimit;
                    ig.ExtraPublishedAt = state.Clock.GetUtcNow();
                    break;
                default:
                    return Problem("quota must be youtube_inserts, youtube_units, youtube_channel_uploads (account_id = channel id) or instagram_publishing (account_id = IG user id)");
            }

            return Ok(new { exhausted = request.Quota });
        }
    }

    private static IResult CreateMuxAsset(HttpContext context, SandboxState state, MuxAssetRequest request)
    {
        if (request.SizeBytes < 64)
        {
            return Problem("size_bytes must be at least 64");
        }

        if (request.Policy is not ("public" or "signed"))
        {
            return Problem("policy must be public or signed");
        }

        if (request.DurationSeconds is <= 0 or > 86400 || request.Width is < 16 or > 8192 || request.Height is < 16 or > 8192
            || request.Rotation is not (0 or 90 or 180 or 270) || request.VideoCodec.Length != 4)
        {
            return Problem("duration_seconds (0–86400], width and height (16–8192), rotation (0, 90, 180, 270) and a four-character video_codec are required");
        }

        var n = state.Ids.Next();
        var seed = (int)n;
        var movie = new MuxMovie(request.DurationSeconds, request.Width, request.Height, request.Rotation, request.VideoCodec);
        var content = new MuxContent(seed, request.SizeBytes, movie, request.MoovAtEnd);
        var asset = new MuxAsset
        {
            AssetId = $"sandbox-asset-{n:D6}",
            PlaybackId = $"sandboxplayback{n:D6}",
            Policy = request.Policy,
            SizeBytes = request.SizeBytes,
            ReadyAt = state.Clock.GetUtcNow().AddSeconds(request.ReadyAfterSeconds),
            ThroughputBytesPerSecond = request.ThroughputBytesPerSecond,
            Seed = seed,
            Movie = movie,
            Content = content,
            Sha256 = request.SizeBytes <= 256L * 1024 * 1024 ? content.Sha256() : null,
        };
        lock (state.Gate)
        {
            state.MuxAssets[asset.AssetId] = asset;
        }

        return Ok(DescribeAsset(context, state, asset, request.Rendition), 201);
    }

    /// <summary>A URL with a playback token for a signed asset's rendition (aud v) or thumbnail (aud t).</summary>
    private static IResult SignMuxUrl(string id, MuxSignedUrlRequest request, HttpContext context, SandboxState state, MuxSigning signing)
    {
        MuxAsset? asset;
        lock (state.Gate)
        {
            asset = state.MuxAssets.GetValueOrDefault(id);
        }

        if (asset is null)
        {
            return Problem($"No asset {id}", 404);
        }

        var exp = state.Clock.GetUtcNow().ToUnixTimeSeconds() + request.ExpiresInSeconds;
        var token = signing.Sign(request.Sub ?? asset.PlaybackId, request.Aud, exp);
        var path = request.Aud == "t" ? $"mux-image/{asset.PlaybackId}/thumbnail.jpg" : $"mux-stream/{asset.PlaybackId}/{request.Rendition}.mp4";
        return Ok(new { url = $"{context.PublicBase()}/{path}?token={token}", token, exp });
    }

    private static object DescribeAsset(HttpContext context, SandboxState state, MuxAsset asset, string rendition) => new
    {
        asset_id = asset.AssetId,
        playback_id = asset.PlaybackId,
        policy = asset.Policy,
        size_bytes = asset.SizeBytes,
        sha256 = asset.Sha256,
        ready = state.Clock.GetUtcNow() >= asset.ReadyAt,
        ready_at = asset.ReadyAt.ToString("O"),
        duration_seconds = asset.Movie.DurationSeconds,
        width = asset.Movie.Width,
        height = asset.Movie.Height,
        has_moov = asset.Content.HasMovieBox,
        url = $"{context.PublicBase()}/mux-stream/{asset.PlaybackId}/{rendition}.mp4",
        image_url = $"{context.PublicBase()}/mux-image/{asset.PlaybackId}/thumbnail.jpg",
    };
}
