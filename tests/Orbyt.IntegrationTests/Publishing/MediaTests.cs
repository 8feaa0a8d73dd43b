using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Media before any platform call (issue 15, items 2, 3 and 8): the file is probed — a Mux rendition not made yet
/// waits in stage downloading, its format comes from its bytes, its moov box and image header are held against each
/// target's specification — Meta's fetch failures are handed over again and then pushed, and signed URLs are
/// checked for their expiry.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class MediaTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;
    private SandboxControl _sandbox = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "media");
        _sandbox = _scenario.Sandbox;
    }

    public async Task DisposeAsync()
    {
        (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        _scenario.Dispose();
    }

    [Fact]
    public async Task A_video_whose_mp4_is_not_made_yet_waits_in_downloading_on_every_platform_then_publishes_once_it_is()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var facebook = await _scenario.ConnectAccountAsync("facebook");
        // §16.2: the rendition answers 404 until the MP4 is made — later than video.asset.ready.
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 1024 * 1024, ready_after_seconds = 600 });
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId }, new { connection_id = facebook.ConnectionId } },
            media = new { type = "video", url = asset.GetProperty("url").GetString() },
            caption = "not ready yet",
            title = "Not ready yet",
        }, HttpStatusCode.Accepted);
        var jobIds = created.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToArray();

        foreach (var id in jobIds)
        {
            var waiting = await _scenario.WaitForJobAsync(id, j => j.GetProperty("stage").GetString() == "downloading");
            Assert.Equal("media_not_ready", waiting.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("processing", waiting.GetProperty("status").GetString());
        }
        // Nothing was handed to Meta while the file was missing.
        var calls = (await _sandbox.CallsAsync()).GetProperty("paths");
        Assert.False(calls.TryGetProperty($"POST /graph/v24.0/{instagram.AccountId}/media", out _));
        Assert.False(calls.TryGetProperty($"POST /graph-video/v24.0/{facebook.AccountId}/videos", out _));

        await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 601 });
        foreach (var id in jobIds)
        {
            var job = await _scenario.WaitForJobToFinishAsync(id, clock: SandboxClockMove.WhilePlatformProcessing, poll: TimeSpan.FromMilliseconds(500));
            Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        }
        Assert.Equal(asset.GetProperty("sha256").GetString(), Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId)).GetProperty("sha256").GetString());
        Assert.Single(await _sandbox.PublishedAsync(facebook.AccountId));
    }

    [Fact]
    public async Task A_reel_meta_cannot_fetch_is_handed_over_again_then_pushed_through_a_resumable_container()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 2 * 1024 * 1024 + 99 });
        // The host blocks Meta's crawler: every container creation fails with 9004/2207052.
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var jobId = await _scenario.PublishAsync(instagram.ConnectionId, "video", asset.GetProperty("url").GetString()!, "pushed reel");
        var job = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: TimeSpan.FromMilliseconds(500));

        Assert.True(job.GetProperty("status").GetString() == "published", job + "\n" + _scenario.SeenJobStates);
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        Assert.Contains("media_fetch_failed", _scenario.SeenJobStates);
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var reel = Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        Assert.Equal(asset.GetProperty("sha256").GetString(), reel.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_carousel_video_meta_cannot_fetch_is_pushed_as_a_resumable_child_and_the_carousel_is_published_once()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var image = _sandbox.Url("_sandbox/media/image.jpg");
        var imageBytes = await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 2 * 1024 * 1024 + 77 });
        // The video's host blocks Meta's crawler (the image is on another host): every hand-over of the video fails.
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = instagram.ConnectionId } }, caption = "pushed child",
            media = new object[] { new { type = "image", url = image }, new { type = "video", url = asset.GetProperty("url").GetString()! } },
        }, HttpStatusCode.Accepted);
        var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;
        var job = await _scenario.WaitForJobToFinishAsync(jobId, clock: SandboxClockMove.WhilePlatformProcessing, poll: TimeSpan.FromMilliseconds(500));

        Assert.True(job.GetProperty("status").GetString() == "published", job + "\n" + _scenario.SeenJobStates);
        Assert.Equal("push", job.GetProperty("transfer_method").GetString());
        Assert.Contains("media_fetch_failed", _scenario.SeenJobStates);
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        var carousel = Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        Assert.Equal(("carousel", "pushed child"), (carousel.GetProperty("type").GetString(), carousel.GetProperty("caption").GetString()));
        Assert.Equal(
            [("image", Convert.ToHexStringLower(SHA256.HashData(imageBytes)), (long)imageBytes.Length),
             ("video", asset.GetProperty("sha256").GetString(), asset.GetProperty("size_bytes").GetInt64())],
            carousel.GetProperty("children").EnumerateArray().Select(c => (c.GetProperty("type").GetString(), c.GetProperty("sha256").GetString(), c.GetProperty("byte_length").GetInt64())).ToArray());
        // The video child is the resumable container its bytes were pushed into (§13.7); the image child was fetched by Meta.
        var children = job.GetProperty("result").GetProperty("children").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Equal(2, children.Length);
        var calls = (await _sandbox.CallsAsync()).GetProperty("paths");
        Assert.True(calls.TryGetProperty($"POST /rupload/ig-api-upload/v24.0/{children[1]}", out _), calls.ToString());
        Assert.False(calls.TryGetProperty($"POST /rupload/ig-api-upload/v24.0/{children[0]}", out _));
    }

    [Fact]
    public async Task An_image_meta_cannot_fetch_fails_with_media_fetch_failed_after_the_hand_over_budget()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { width = 1080, height = 1350 });
        await _sandbox.AddFaultAsync(new { kind = "error", platform = "mux", user_agent = "facebookexternalhit", status = 403, count = 3 });

        var jobId = await _scenario.PublishAsync(instagram.ConnectionId, "image", asset.GetProperty("image_url").GetString()!, "blocked image");
        var job = await _scenario.WaitForJobToFinishAsync(jobId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("media_fetch_failed", job.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain(await _sandbox.FaultsAsync(), f => f.GetProperty("remaining").GetInt32() > 0);
        Assert.Empty(await _sandbox.PublishedAsync(instagram.AccountId));
    }

    [Fact]
    public async Task An_image_mux_com_jpeg_is_published_to_instagram_and_facebook_its_format_read_from_its_bytes()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var facebook = await _scenario.ConnectAccountAsync("facebook");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { width = 1920, height = 1080 });
        // §16.4: thumbnail.jpg at 1080 wide keeps the asset's 16:9 — inside Instagram's 4:5 … 1.91:1.
        var image = asset.GetProperty("image_url").GetString() + "?width=1080";

        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId }, new { connection_id = facebook.ConnectionId } },
            media = new { type = "image", url = image },
            caption = "thumbnail",
        }, HttpStatusCode.Accepted);
        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!);

        Assert.True(publication.GetProperty("status").GetString() == "published", publication.ToString());
        Assert.Single(await _sandbox.PublishedAsync(instagram.AccountId));
        Assert.Single(await _sandbox.PublishedAsync(facebook.AccountId));
    }

    [Fact]
    public async Task A_file_that_breaks_a_targets_spec_is_refused_at_create_time_with_its_own_code()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        var wide = await _scenario.Sandbox.MuxAssetAsync(new { width = 1920, height = 1080 });
        var shortClip = await _scenario.Sandbox.MuxAssetAsync(new { duration_seconds = 2.0 });
        var tooWide = await _scenario.Sandbox.MuxAssetAsync(new { width = 3840, height = 2160 });

        await AssertRefusedAsync(instagram, "image", wide.GetProperty("image_url").GetString() + "?width=1000&height=400&fit_mode=stretch", HttpStatusCode.UnprocessableEntity, "media_aspect_ratio_unsupported");
        // A PNG is refused for Instagram whatever its URL says.
        await AssertRefusedAsync(instagram, "image", wide.GetProperty("image_url").GetString()!.Replace("thumbnail.jpg", "thumbnail.png"), HttpStatusCode.UnprocessableEntity, "media_unsupported_format");
        await AssertRefusedAsync(instagram, "image", wide.GetProperty("url").GetString()!, HttpStatusCode.UnprocessableEntity, "media_unsupported_format");
        await AssertRefusedAsync(instagram, "video", shortClip.GetProperty("url").GetString()!, HttpStatusCode.UnprocessableEntity, "media_duration_out_of_range");
        await AssertRefusedAsync(instagram, "video", tooWide.GetProperty("url").GetString()!, HttpStatusCode.UnprocessableEntity, "media_resolution_unsupported");
    }

    [Fact]
    public async Task A_file_not_ready_at_create_time_that_breaks_the_spec_fails_before_any_platform_call()
    {
        var instagram = await _scenario.ConnectNewAccountAsync("instagram");
        // moov at the end of the file: the probe finds it with ranged reads.
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { duration_seconds = 1200.0, ready_after_seconds = 120, moov_at_end = true, size_bytes = 3 * 1024 * 1024 });

        var jobId = await _scenario.PublishAsync(instagram.ConnectionId, "video", asset.GetProperty("url").GetString()!, "too long");
        await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "downloading");
        await fixture.Sandbox.PostAsJsonAsync("/_sandbox/clock/advance", new { seconds = 121 });
        var job = await _scenario.WaitForJobToFinishAsync(jobId);

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("media_duration_out_of_range", job.GetProperty("error").GetProperty("code").GetString());
        Assert.False((await _sandbox.CallsAsync()).GetProperty("paths").TryGetProperty($"POST /graph/v24.0/{instagram.AccountId}/media", out _));
    }

    private async Task AssertRefusedAsync(ConnectedAccount target, string type, string url, HttpStatusCode status, string code)
    {
        using var response = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = target.ConnectionId } }, media = new { type, url },
        });
        var problem = await ApiProblem.AssertAsync(response, status, code);
        Assert.Contains("instagram", problem.GetProperty("detail").GetString());
    }
}
