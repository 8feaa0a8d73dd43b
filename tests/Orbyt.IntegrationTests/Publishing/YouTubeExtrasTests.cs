using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// YouTube beyond the upload (reference §15): a custom thumbnail, a playlist entry (its scope asked only with
/// <c>features: ["youtube_playlists"]</c>), the synthetic-media flag and languages, and YouTube's own scheduled release —
/// each after-upload step settled once, a failure leaving the video published with a warning, never a second upload.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class YouTubeExtrasTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "ytextras");

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A new identity's channel connected with the playlist feature (youtube.force-ssl asked at connect).</summary>
    private async Task<ConnectedAccount> ConnectWithPlaylistsAsync(object? identity = null)
    {
        await _scenario.NewIdentityAsync(identity);
        var start = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/connections/youtube/authorize",
            new { user_id = _scenario.UserId, return_url = Scenario.ReturnPrefix, features = new[] { "youtube_playlists" } });
        var url = start.GetProperty("authorization_url").GetString()!;
        Assert.Contains(Uri.EscapeDataString("https://www.googleapis.com/auth/youtube.force-ssl"), url);
        var query = await _scenario.FollowToReturnUrlAsync(url);
        Assert.True(query.GetValueOrDefault("status") == "connected", string.Join("&", query.Select(kv => kv.Key + "=" + kv.Value)));
        var id = query["connection_ids"].Split(',')[0];
        var connection = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{id}?user_id={_scenario.UserId}");
        return new ConnectedAccount(id, connection.GetProperty("account").GetProperty("id").GetString()!);
    }

    private async Task<string> PlaylistAsync(string channelId)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/youtube/playlists", new { channel_id = channelId, title = "Launches" });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<(string Url, string Sha256, long Length)> ThumbnailAsync(int width = 1280, int height = 720)
    {
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { width = 1920, height = 1080 });
        var url = asset.GetProperty("image_url").GetString()! + $"?width={width}&height={height}&fit_mode=stretch";
        var bytes = await fixture.Sandbox.GetByteArrayAsync(url);
        return (url, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), bytes.Length);
    }

    private async Task<string> VideoUrlAsync() =>
        (await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 512 * 1024 })).GetProperty("url").GetString()!;

    private async Task<JsonElement> PublishAndWaitAsync(string connectionId, object youtube)
    {
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = connectionId } },
            media = new { type = "video", url = await VideoUrlAsync() },
            title = "Extras",
            youtube,
        }, HttpStatusCode.Accepted);
        var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;
        return await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing);
    }

    [Fact]
    public async Task A_video_gets_its_thumbnail_playlist_languages_synthetic_flag_and_youtubes_own_release_time()
    {
        var channel = await ConnectWithPlaylistsAsync();
        var playlist = await PlaylistAsync(channel.AccountId);
        var thumbnail = await ThumbnailAsync();
        var releaseAt = DateTimeOffset.UtcNow.AddDays(3);

        var job = await PublishAndWaitAsync(channel.ConnectionId, new
        {
            privacy_status = "private",
            publish_at = releaseAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            thumbnail_url = thumbnail.Url,
            playlist_id = playlist,
            contains_synthetic_media = true,
            default_language = "pt-BR",
            default_audio_language = "en",
        });

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var result = job.GetProperty("result");
        Assert.Equal("succeeded", result.GetProperty("thumbnail").GetProperty("status").GetString());
        Assert.Equal("succeeded", result.GetProperty("playlist").GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("playlist").GetProperty("id").GetString()));
        Assert.Equal("private", result.GetProperty("privacy_status").GetString());
        Assert.Empty(result.GetProperty("warnings").EnumerateArray());
        // Orbyt did not schedule it: the job ran at once and YouTube holds the release time.
        Assert.Equal(JsonValueKind.Null, job.GetProperty("publish_at").ValueKind);

        var video = Assert.Single(await _scenario.Sandbox.PublishedAsync(channel.AccountId));
        Assert.Equal(thumbnail.Sha256, video.GetProperty("thumbnail_sha256").GetString());
        Assert.Equal(thumbnail.Length, video.GetProperty("thumbnail_byte_length").GetInt64());
        Assert.Equal(playlist, Assert.Single(video.GetProperty("playlists").EnumerateArray()).GetString());
        Assert.Equal("pt-BR", video.GetProperty("default_language").GetString());
        Assert.Equal("en", video.GetProperty("default_audio_language").GetString());
        Assert.True(video.GetProperty("contains_synthetic_media").GetBoolean());
        Assert.Equal(releaseAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), video.GetProperty("publish_at").GetString());
    }

    [Fact]
    public async Task A_playlist_insert_whose_answer_was_lost_is_found_in_the_playlist_and_not_inserted_again()
    {
        var channel = await ConnectWithPlaylistsAsync();
        var playlist = await PlaylistAsync(channel.AccountId);
        await _scenario.Sandbox.AddFaultAsync(new { kind = "drop_response", platform = "youtube", path_prefix = "/youtube/youtube/v3/playlistItems", method = "POST", count = 1 });

        var job = await PublishAndWaitAsync(channel.ConnectionId, new { playlist_id = playlist });

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("succeeded", job.GetProperty("result").GetProperty("playlist").GetProperty("status").GetString());
        var video = Assert.Single(await _scenario.Sandbox.PublishedAsync(channel.AccountId));
        Assert.Equal(playlist, Assert.Single(video.GetProperty("playlists").EnumerateArray()).GetString());
        var calls = (await _scenario.Sandbox.CallsAsync()).GetProperty("paths");
        Assert.True(calls.TryGetProperty("GET /youtube/youtube/v3/playlistItems", out var probes) && probes.GetInt32() >= 1, calls.ToString());
    }

    [Fact]
    public async Task A_thumbnail_the_channel_may_not_set_and_an_unknown_playlist_leave_the_video_published_once_with_warnings()
    {
        var channel = await ConnectWithPlaylistsAsync(new { meta = false, youtube_custom_thumbnails = false });
        var thumbnail = await ThumbnailAsync();

        var job = await PublishAndWaitAsync(channel.ConnectionId, new { thumbnail_url = thumbnail.Url, playlist_id = "PLnotachannelplaylist" });

        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var result = job.GetProperty("result");
        Assert.Equal("failed", result.GetProperty("thumbnail").GetProperty("status").GetString());
        Assert.Equal("youtube_thumbnail_not_allowed", result.GetProperty("thumbnail").GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("failed", result.GetProperty("playlist").GetProperty("status").GetString());
        Assert.Equal("youtube_playlist_not_found", result.GetProperty("playlist").GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(["youtube_thumbnail_not_set", "youtube_playlist_not_added"],
            result.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()!).ToArray());
        var video = Assert.Single(await _scenario.Sandbox.PublishedAsync(channel.AccountId));
        Assert.False(video.TryGetProperty("thumbnail_sha256", out var sha) && sha.ValueKind != JsonValueKind.Null, video.ToString());
        Assert.Empty(video.GetProperty("playlists").EnumerateArray());
    }

    [Fact]
    public async Task A_playlist_without_its_scope_a_public_video_with_youtubes_release_time_and_a_small_thumbnail_are_refused_before_anything_is_queued()
    {
        var uploadOnly = await _scenario.ConnectNewAccountAsync("youtube");
        var withPlaylists = await ConnectWithPlaylistsAsync();
        var video = await VideoUrlAsync();
        var small = await ThumbnailAsync(320, 180);

        async Task<JsonElement> RefusedAsync(string connectionId, object youtube, HttpStatusCode status, string code)
        {
            using var response = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = _scenario.UserId,
                targets = new[] { new { connection_id = connectionId } },
                media = new { type = "video", url = video },
                title = "Refused",
                youtube,
            });
            return await ApiProblem.AssertAsync(response, status, code);
        }

        await RefusedAsync(uploadOnly.ConnectionId, new { playlist_id = "PLanything" }, HttpStatusCode.Forbidden, "youtube_playlist_scope_missing");
        await RefusedAsync(withPlaylists.ConnectionId,
            new { privacy_status = "public", publish_at = DateTimeOffset.UtcNow.AddDays(1).ToString("O") }, HttpStatusCode.BadRequest, "youtube_publish_at_requires_private");
        await RefusedAsync(withPlaylists.ConnectionId, new { publish_at = DateTimeOffset.UtcNow.AddDays(-1).ToString("O") }, HttpStatusCode.BadRequest, "validation_failed");
        await RefusedAsync(withPlaylists.ConnectionId, new { default_language = "english" }, HttpStatusCode.BadRequest, "validation_failed");
        var narrow = await RefusedAsync(withPlaylists.ConnectionId, new { thumbnail_url = small.Url }, HttpStatusCode.UnprocessableEntity, "thumbnail_invalid");
        Assert.Contains("640", narrow.GetProperty("detail").GetString());

        var publications = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={_scenario.UserId}");
        Assert.Empty(publications.GetProperty("data").EnumerateArray());
    }
}
