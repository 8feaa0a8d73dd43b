using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// The dry run (issue 18): <c>POST /v1/publications/validate</c> takes create's body, answers per target with the
/// catalog codes create would answer — the same rules, one code path — plus warnings and what the media probe found,
/// and writes and queues nothing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DryRunTests(AppHostFixture fixture) : IAsyncLifetime
{
    /// <summary>Codes of POST /v1/publications that are not about the publication's content: the key, the limiter, the transport, idempotency.</summary>
    private static readonly HashSet<string> NotContentRules =
    [
        "api_key_missing", "api_key_invalid", "api_key_revoked", "rate_limited", "internal_error", "service_unavailable",
        "malformed_request", "unsupported_media_type", "request_too_large",
        "idempotency_key_invalid", "idempotency_key_reused", "idempotency_key_in_use",
    ];

    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "dryrun");

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Validate_answers_the_code_create_answers_for_every_content_rule_of_the_catalog()
    {
        var facebook = await _scenario.ConnectNewAccountAsync("facebook");
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        var needsReauth = await _scenario.ConnectNewAccountAsync("facebook");
        await using (var db = TestDatabase.Open(fixture))
            await db.Connections.Where(c => c.Id == Guid.Parse(needsReauth.ConnectionId)).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, "reauth_required"));
        // Connected without pages_manage_engagement: it publishes, but takes no first comment.
        var withoutComments = await _scenario.NewIdentityAsync();
        await _scenario.Sandbox.AutoConsentAsync(withoutComments.GetProperty("id").GetString()!,
            metaScopes: ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "business_management"]);
        var cannotComment = await _scenario.ConnectAccountAsync("facebook");
        var revoked = await _scenario.ConnectNewAccountAsync("facebook");
        await _scenario.Api.JsonAsync(HttpMethod.Delete, $"/v1/connections/{revoked.ConnectionId}?user_id={_scenario.UserId}");

        var image = _scenario.Sandbox.Url("_sandbox/media/image.jpg");
        var wide = await _scenario.Sandbox.MuxAssetAsync(new { width = 1920, height = 1080 });
        var shortClip = await _scenario.Sandbox.MuxAssetAsync(new { duration_seconds = 2.0 });
        var longClip = await _scenario.Sandbox.MuxAssetAsync(new { duration_seconds = 120.0, width = 1080, height = 1920 });
        var tooWide = await _scenario.Sandbox.MuxAssetAsync(new { width = 3840, height = 2160 });
        var huge = await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 301L * 1024 * 1024 });
        var signed = await _scenario.Sandbox.MuxAssetAsync(new { policy = "signed" });
        var video = wide.GetProperty("url").GetString()!;
        // A vertical 30 s Reel, and a story one second too long for §13.8's 3–60 s.
        var reel = (await _scenario.Sandbox.MuxAssetAsync(new { duration_seconds = 30.0, width = 1080, height = 1920 })).GetProperty("url").GetString()!;
        var longStory = await _scenario.Sandbox.MuxAssetAsync(new { duration_seconds = 61.0, width = 1080, height = 1920 });

        JsonObject Body(ConnectedAccount target, string type, string url, string? title = null) => new()
        {
            ["user_id"] = _scenario.UserId,
            ["targets"] = new JsonArray(new JsonObject { ["connection_id"] = target.ConnectionId }),
            ["media"] = new JsonObject { ["type"] = type, ["url"] = url },
            ["title"] = title,
        };
        // Rows the request schema itself refuses (with the option's own code): validate answers the same problem as create.
        var refusedBySchema = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        var table = new (string Code, JsonObject Body)[]
        {
            ("validation_failed", With(Body(facebook, "image", image), "targets", new JsonArray())),
            ("not_found", Body(new ConnectedAccount(Guid.NewGuid().ToString(), "0"), "image", image)),
            ("connection_not_active", Body(needsReauth, "image", image)),
            ("connection_revoked", Body(revoked, "image", image)),
            ("media_url_invalid", Body(facebook, "video", "ftp://stream.mux.com/video.mp4")),
            ("media_host_not_allowed", Body(facebook, "image", "https://evil.example/x.jpg")),
            ("media_address_forbidden", Body(facebook, "video", "https://localhost:1/video.mp4")),
            ("media_fetch_failed", Body(facebook, "video", "https://nowhere.invalid/video.mp4")),
            ("media_type_not_supported", Body(youtube, "image", image, "Title")),
            ("media_unsupported_format", Body(instagram, "image", _scenario.Sandbox.Url("_sandbox/media/image.png"))),
            ("media_too_large", Body(instagram, "video", huge.GetProperty("url").GetString()!)),
            ("media_duration_out_of_range", Body(instagram, "video", shortClip.GetProperty("url").GetString()!)),
            ("media_aspect_ratio_unsupported", Body(instagram, "image", wide.GetProperty("image_url").GetString() + "?width=1000&height=400&fit_mode=stretch")),
            ("media_resolution_unsupported", Body(instagram, "video", tooWide.GetProperty("url").GetString()!)),
            ("media_url_expired", Body(youtube, "video", await SignAsync(signed, -60), "Signed")),
            ("media_url_expires_too_soon", Body(youtube, "video", await SignAsync(signed, 600), "Signed")),
            ("caption_invalid", With(Body(instagram, "image", image), "caption", string.Join(' ', Enumerable.Range(0, 31).Select(i => $"#tag{i}")))),
            ("title_required", Body(youtube, "video", video)),
            ("callback_url_invalid", With(Body(facebook, "image", image), "callback_url", "https://10.0.0.1/hook")),
            ("format_not_supported", WithFormat(Body(youtube, "video", video, "Title"), "story")),
            ("format_media_mismatch", WithFormat(Body(instagram, "image", image), "reels")),
            ("media_count_invalid", WithFormat(With(Body(instagram, "image", image), "media",
                new JsonArray(new JsonObject { ["type"] = "image", ["url"] = image }, new JsonObject { ["type"] = "image", ["url"] = image })), "story")),
            ("alt_text_not_supported", With(Body(facebook, "video", video), "media",
                new JsonArray(new JsonObject { ["type"] = "video", ["url"] = video, ["alt_text"] = "A clip" }))),
            ("thumbnail_invalid", With(Body(youtube, "video", video, "Thumbnail"), "youtube",
                new JsonObject { ["thumbnail_url"] = wide.GetProperty("image_url").GetString() + "?width=320&height=180&fit_mode=stretch" })),
            ("youtube_publish_at_requires_private", With(Body(youtube, "video", video, "Release"), "youtube",
                new JsonObject { ["privacy_status"] = "unlisted", ["publish_at"] = DateTimeOffset.UtcNow.AddDays(2).ToString("O") })),
            ("youtube_playlist_scope_missing", With(Body(youtube, "video", video, "Playlist"), "youtube", new JsonObject { ["playlist_id"] = "PLdryrun" })),
            // Facebook content types (issue 17): a text post elsewhere, a bad link, a multi-photo post with a video in it.
            ("media_required", With(Body(instagram, "image", image), "media", null)),
            ("link_invalid", With(With(Body(facebook, "image", image), "media", null), "facebook", new JsonObject { ["link"] = "ftp://example.com/file" })),
            ("format_media_mismatch", With(Body(facebook, "image", image), "media",
                new JsonArray(new JsonObject { ["type"] = "image", ["url"] = image }, new JsonObject { ["type"] = "video", ["url"] = video }))),
            // Facebook reels and stories: an image reel, a story of several media, a reel too long for 3–90 s.
            ("format_media_mismatch", WithFormat(Body(facebook, "image", image), "reel")),
            ("media_count_invalid", WithFormat(With(Body(facebook, "image", image), "media",
                new JsonArray(new JsonObject { ["type"] = "image", ["url"] = image }, new JsonObject { ["type"] = "image", ["url"] = image })), "story")),
            ("media_duration_out_of_range", WithFormat(Body(facebook, "video", longClip.GetProperty("url").GetString()!), "reel")),
            ("first_comment_invalid", With(Body(instagram, "image", image), "first_comment", new string('a', 2201))),
            ("first_comment_not_supported", WithTargetComment(Body(youtube, "video", video, "Title"), "First!")),
            ("first_comment_permission_missing", With(Body(cannotComment, "image", image), "first_comment", "First!")),
            // Instagram Reels options and the story specification (issue 17, reference §13.1, §13.4, §13.8).
            ("instagram_option_not_supported", WithFormat(With(Body(instagram, "video", reel), "instagram", new JsonObject { ["collaborators"] = new JsonArray("sandbox.alice") }), "story")),
            ("instagram_collaborators_invalid", BySchema(With(Body(instagram, "video", reel), "instagram", new JsonObject { ["collaborators"] = new JsonArray("a", "b", "c", "d") }))),
            ("instagram_user_tags_invalid", BySchema(With(Body(instagram, "image", image), "instagram",
                new JsonObject { ["user_tags"] = new JsonArray(new JsonObject { ["username"] = "sandbox.alice", ["x"] = 540, ["y"] = 0.5 }) }))),
            // Tags without a position on a feed image: the request schema allows it, the format does not (§13.1).
            ("instagram_user_tags_invalid", With(Body(instagram, "image", image), "instagram",
                new JsonObject { ["user_tags"] = new JsonArray(new JsonObject { ["username"] = "sandbox.alice" }) })),
            ("instagram_thumb_offset_invalid", With(Body(instagram, "video", reel), "instagram", new JsonObject { ["thumb_offset"] = 30_000 })),
            ("instagram_cover_invalid", With(Body(instagram, "video", reel), "instagram", new JsonObject { ["cover_url"] = _scenario.Sandbox.Url("_sandbox/media/image.png") })),
            ("instagram_location_invalid", BySchema(With(Body(instagram, "video", reel), "instagram", new JsonObject { ["location_id"] = "seattle" }))),
            ("media_duration_out_of_range", WithFormat(Body(instagram, "video", longStory.GetProperty("url").GetString()!), "story")),
        };
        JsonObject BySchema(JsonObject body)
        {
            refusedBySchema.Add(body);
            return body;
        }
        static JsonObject WithTargetComment(JsonObject body, string comment)
        {
            body["targets"]![0]!["first_comment"] = comment;
            return body;
        }
        static JsonObject WithFormat(JsonObject body, string format)
        {
            body["targets"]![0]!["format"] = format;
            return body;
        }

        // The table covers every content rule the create operation documents.
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;
        var createCodes = document["paths"]!["/v1/publications"]!["post"]!["x-problem-codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToHashSet();
        Assert.Equal(createCodes.Except(NotContentRules).Order(), table.Select(r => r.Code).Distinct().Order());

        foreach (var (code, body) in table)
        {
            using var created = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", body);
            var problem = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.TryGetProperty("code", out var createCode) && createCode.GetString() == code, $"create, row {code}: {(int)created.StatusCode} {problem}");

            using var validated = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications/validate", body);
            var answer = await validated.Content.ReadFromJsonAsync<JsonElement>();
            if (code == "validation_failed" || refusedBySchema.Contains(body))
            {
                // A body that fails the request schema is refused by both before any rule, with the same problem.
                Assert.Equal(created.StatusCode, validated.StatusCode);
                Assert.Equal("application/problem+json", validated.Content.Headers.ContentType?.MediaType);
                Assert.Equal(code, answer.GetProperty("code").GetString());
                continue;
            }
            Assert.True(validated.StatusCode == HttpStatusCode.OK, $"validate, row {code}: {(int)validated.StatusCode} {answer}");
            Assert.False(answer.GetProperty("ok").GetBoolean(), $"validate, row {code}: {answer}");
            var errors = answer.GetProperty("errors").EnumerateArray()
                .Concat(answer.GetProperty("targets").EnumerateArray().SelectMany(t => t.GetProperty("errors").EnumerateArray())).ToArray();
            var error = errors.FirstOrDefault(e => e.GetProperty("code").GetString() == code);
            Assert.True(error.ValueKind == JsonValueKind.Object, $"validate, row {code}: {answer}");
            Assert.Equal((int)created.StatusCode, error.GetProperty("status").GetInt32());
            Assert.Equal(problem.GetProperty("detail").GetString(), error.GetProperty("detail").GetString());
            Assert.False(answer.GetProperty("targets")[0].GetProperty("ok").GetBoolean());
        }

        var publications = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={_scenario.UserId}");
        Assert.Empty(publications.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_valid_publication_to_three_platforms_is_ok_with_its_warnings_and_probe_facts_and_nothing_is_written_or_queued()
    {
        var facebook = await _scenario.ConnectNewAccountAsync("facebook");
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 3 * 1024 * 1024, duration_seconds = 12.5, width = 1920, height = 1080 });
        // A token whose exp is 3 h from now on our clock: accepted (at least 2 h), but close enough to warn. The asset is
        // public, so the host ignores the token and the probe reads the file whatever earlier tests did to the sandbox
        // clock (a signed asset's token is judged on that clock).
        var url = asset.GetProperty("url").GetString() + "?token=" + UnsignedToken(DateTimeOffset.UtcNow.AddHours(3));
        var body = new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = facebook.ConnectionId }, new { connection_id = instagram.ConnectionId }, new { connection_id = youtube.ConnectionId } },
            media = new { type = "video", url },
            caption = new string('a', 2100),
            title = "A dry run",
        };

        var answer = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications/validate", body);

        Assert.True(answer.GetProperty("ok").GetBoolean(), answer.ToString());
        Assert.Empty(answer.GetProperty("errors").EnumerateArray());
        var targets = answer.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("platform").GetString()!);
        Assert.Equal(["facebook", "instagram", "youtube"], targets.Keys.Order());
        Assert.All(targets.Values, t => Assert.True(t.GetProperty("ok").GetBoolean()));
        string[] Warnings(string platform) => targets[platform].GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()!).Order().ToArray();
        Assert.Equal(["caption_near_limit", "media_url_expires_soon", "media_will_be_cropped"], Warnings("instagram"));
        Assert.Equal(["media_url_expires_soon"], Warnings("facebook"));
        Assert.Equal(["media_url_expires_soon"], Warnings("youtube"));

        var media = answer.GetProperty("media");
        Assert.Equal("ready", media.GetProperty("probe").GetString());
        Assert.Equal("video/mp4", media.GetProperty("mime_type").GetString());
        Assert.Equal(asset.GetProperty("size_bytes").GetInt64(), media.GetProperty("size_bytes").GetInt64());
        Assert.Equal(1920, media.GetProperty("width").GetInt32());
        Assert.Equal(1080, media.GetProperty("height").GetInt32());
        Assert.Equal(12.5, media.GetProperty("duration_seconds").GetDouble(), 2);
        Assert.Equal("avc1", media.GetProperty("video_codec").GetString());
        Assert.Equal("mp4a", media.GetProperty("audio_codec").GetString());
        Assert.True(media.GetProperty("fast_start").GetBoolean());
        Assert.Equal(JsonValueKind.String, media.GetProperty("url_expires_at").ValueKind);

        // Nothing written, so nothing queued: every stream entry names a job row.
        var publications = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={_scenario.UserId}");
        Assert.Empty(publications.GetProperty("data").EnumerateArray());
        var jobs = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_scenario.UserId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
        // And create accepts the same body.
        await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", body, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Validate_lists_every_broken_target_where_create_stops_at_the_first()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var youtube = await _scenario.ConnectNewAccountAsync("youtube");
        var missing = Guid.NewGuid();
        var body = new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId }, new { connection_id = youtube.ConnectionId }, new { connection_id = missing.ToString() } },
            media = new { type = "image", url = _scenario.Sandbox.Url("_sandbox/media/image.png") },
        };

        using var created = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", body);
        await ApiProblem.AssertAsync(created, HttpStatusCode.BadRequest, "media_type_not_supported");
        var answer = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications/validate", body);

        Assert.False(answer.GetProperty("ok").GetBoolean());
        var targets = answer.GetProperty("targets").EnumerateArray().ToArray();
        string[] Codes(int i) => targets[i].GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!).ToArray();
        Assert.Equal(["media_unsupported_format"], Codes(0));
        Assert.Equal(["media_type_not_supported"], Codes(1));
        Assert.Equal(["not_found"], Codes(2));
        Assert.Equal(JsonValueKind.Null, targets[2].GetProperty("platform").ValueKind);
        Assert.Equal("image/png", answer.GetProperty("media").GetProperty("mime_type").GetString());
    }

    private static JsonObject With(JsonObject body, string name, JsonNode? value)
    {
        body[name] = value;
        return body;
    }

    /// <summary>A JWT-shaped token with only an <c>exp</c> claim (the API reads exp without verifying; the media host verifies).</summary>
    private static string UnsignedToken(DateTimeOffset exp)
    {
        static string Part(string json) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(json));
        return Part("{\"alg\":\"none\"}") + "." + Part($"{{\"exp\":{exp.ToUnixTimeSeconds()}}}") + ".x";
    }

    /// <summary>A URL of the asset's rendition with a playback token valid <paramref name="seconds"/> from our clock (the API's).</summary>
    private async Task<string> SignAsync(JsonElement asset, long seconds)
    {
        var lead = (long)(await _scenario.Sandbox.ClockLeadAsync()).TotalSeconds;
        using var response = await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/mux/assets/{asset.GetProperty("asset_id").GetString()}/signed-url", new { expires_in_seconds = seconds - lead });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
    }
}
