using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Issue 17: Instagram Reels options (reference §13.1, §13.4) and the story specification at create (§13.8) — what the
/// sandbox's Instagram received on the published Reel, and what is refused before anything is queued.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class InstagramReelsOptionsTests(AppHostFixture fixture) : IAsyncLifetime
{
    private const string Seattle = "110843418940484";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private Scenario _scenario = null!;
    private SandboxControl _sandbox = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "reels");
        _sandbox = _scenario.Sandbox;
    }

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(string Url, string Sha256)> VideoAsync(double seconds = 30, long bytes = 512 * 1024)
    {
        var asset = await _sandbox.MuxAssetAsync(new { size_bytes = bytes, duration_seconds = seconds, width = 1080, height = 1920 });
        return (asset.GetProperty("url").GetString()!, asset.GetProperty("sha256").GetString()!);
    }

    private static object AllOptions(string cover) => new
    {
        share_to_feed = false,
        cover_url = cover,
        thumb_offset = 1500,
        collaborators = new[] { "sandbox.alice", "sandbox.bob" },
        location_id = Seattle,
        user_tags = new object[] { new { username = "sandbox.carol" }, new { username = "sandbox.dave", x = 0.25, y = 0.75 } },
    };

    /// <summary>The published Reel carries every option as Instagram received it.</summary>
    private static void AssertOptions(JsonElement reel, string coverSha256, long coverLength)
    {
        Assert.Equal("reels", reel.GetProperty("type").GetString());
        Assert.False(reel.GetProperty("share_to_feed").GetBoolean());
        Assert.Equal((coverSha256, coverLength), (reel.GetProperty("cover_sha256").GetString(), reel.GetProperty("cover_byte_length").GetInt64()));
        Assert.Equal(1500, reel.GetProperty("thumb_offset").GetInt64());
        Assert.Equal(["sandbox.alice", "sandbox.bob"], reel.GetProperty("collaborators").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal((Seattle, "Seattle, Washington"), (reel.GetProperty("location_id").GetString(), reel.GetProperty("location_name").GetString()));
        var tags = reel.GetProperty("user_tags").EnumerateArray().ToArray();
        Assert.Equal(["sandbox.carol", "sandbox.dave"], tags.Select(t => t.GetProperty("username").GetString()));
        Assert.False(tags[0].TryGetProperty("x", out _), "a Reel's tag without a position is sent without one");
        Assert.Equal((0.25, 0.75), (tags[1].GetProperty("x").GetDouble(), tags[1].GetProperty("y").GetDouble()));
    }

    [Fact]
    public async Task A_reel_reaches_instagram_with_its_cover_collaborators_location_user_tags_and_share_to_feed()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var cover = await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg");
        var (videoUrl, videoHash) = await VideoAsync();

        var publication = await _scenario.PublishAndWaitAsync(new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId, format = "reels" } },
            media = new { type = "video", url = videoUrl },
            caption = "Launch reel",
            instagram = AllOptions(_sandbox.Url("_sandbox/media/image.jpg")),
        }, Poll);

        var job = publication.GetProperty("jobs")[0];
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        var reel = Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        Assert.Equal((videoHash, "Launch reel"), (reel.GetProperty("sha256").GetString(), reel.GetProperty("caption").GetString()));
        AssertOptions(reel, Convert.ToHexStringLower(SHA256.HashData(cover)), cover.Length);
    }

    [Fact]
    public async Task A_reel_meta_cannot_fetch_is_pushed_through_rupload_with_the_same_options()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var cover = await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg");
        var (videoUrl, videoHash) = await VideoAsync(bytes: 2 * 1024 * 1024 + 7);
        // The video's host blocks Meta's crawler (the cover is elsewhere): the URL is handed over, then the bytes pushed.
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var publication = await _scenario.PublishAndWaitAsync(new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId, format = "reels", instagram = AllOptions(_sandbox.Url("_sandbox/media/image.jpg")) } },
            media = new { type = "video", url = videoUrl },
            caption = "Pushed reel",
        }, Poll);

        var job = publication.GetProperty("jobs")[0];
        Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var reel = Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        Assert.Equal(videoHash, reel.GetProperty("sha256").GetString());
        AssertOptions(reel, Convert.ToHexStringLower(SHA256.HashData(cover)), cover.Length);
    }

    [Fact]
    public async Task A_collaborator_instagram_cannot_load_fails_the_job_with_instagram_user_invalid()
    {
        // Usernames are checked for their shape at create; only Meta knows a private profile (110/2207018).
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var (videoUrl, _) = await VideoAsync();

        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId } },
            media = new { type = "video", url = videoUrl },
            instagram = new { collaborators = new[] { "sandbox.private" } },
        }, HttpStatusCode.Accepted);
        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!, clock: SandboxClockMove.EveryPoll, poll: Poll);

        var job = publication.GetProperty("jobs")[0];
        Assert.True(job.GetProperty("status").GetString() == "failed", job.ToString());
        Assert.Equal(("instagram_user_invalid", "2207018"), (job.GetProperty("error").GetProperty("code").GetString(), job.GetProperty("error").GetProperty("platform").GetProperty("subcode").GetString()));
        Assert.Empty(await _sandbox.PublishedAsync(instagram.AccountId));
    }

    public static TheoryData<string, string, HttpStatusCode, string> Refused => new()
    {
        // §13.1: no collaborators on a story; at most 3; x/y are fractions; §13.4: thumb_offset within the video,
        // the cover a JPEG; a location is a Page id; §13.8: a story video lasts 3–60 s.
        { "story", """{"collaborators":["sandbox.alice"]}""", HttpStatusCode.BadRequest, "instagram_option_not_supported" },
        { "reels", """{"collaborators":["sandbox.alice","sandbox.bob","sandbox.carol","sandbox.dave"]}""", HttpStatusCode.BadRequest, "instagram_collaborators_invalid" },
        { "reels", """{"user_tags":[{"username":"sandbox.alice","x":540,"y":960}]}""", HttpStatusCode.BadRequest, "instagram_user_tags_invalid" },
        { "reels", """{"thumb_offset":30000}""", HttpStatusCode.UnprocessableEntity, "instagram_thumb_offset_invalid" },
        { "reels", """{"cover_url":"PNG"}""", HttpStatusCode.UnprocessableEntity, "instagram_cover_invalid" },
        { "reels", """{"location_id":"Seattle, WA"}""", HttpStatusCode.BadRequest, "instagram_location_invalid" },
        { "story61", "{}", HttpStatusCode.UnprocessableEntity, "media_duration_out_of_range" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_wrong_option_or_an_over_long_story_is_refused_before_anything_is_queued(string format, string options, HttpStatusCode status, string code)
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var (videoUrl, _) = await VideoAsync(seconds: format == "story61" ? 61 : 30);
        var instagramOptions = JsonSerializer.Deserialize<JsonElement>(options.Replace("\"PNG\"", $"\"{_sandbox.Url("_sandbox/media/image.png")}\"", StringComparison.Ordinal));

        using var response = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId, format = format == "story61" ? "story" : format, instagram = instagramOptions } },
            media = new { type = "video", url = videoUrl },
            caption = "Refused",
        });

        // The shapes the request schema gives (3 collaborators, x/y within 0–1, a numeric location) are refused before any
        // rule, with the option's code; the rest name the target.
        var problem = await ApiProblem.AssertAsync(response, status, code);
        if (status == HttpStatusCode.UnprocessableEntity || code == "instagram_option_not_supported")
            Assert.Contains(instagram.ConnectionId, problem.GetProperty("detail").GetString());
        var jobs = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_scenario.UserId}&connection_id={instagram.ConnectionId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
        var calls = (await _sandbox.CallsAsync()).GetProperty("paths");
        Assert.False(calls.TryGetProperty($"POST /graph/v24.0/{instagram.AccountId}/media", out _), "nothing reached Instagram");
    }
}
