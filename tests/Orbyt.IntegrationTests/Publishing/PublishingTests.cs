using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Publishing;

[Collection(AppHostCollection.Name)]
[Trait("Redis", "Cluster")]
public sealed class PublishingTests(AppHostFixture fixture) : IAsyncLifetime
{
    /// <summary>Half a second between reads: the sandbox clock moves 20 s per read while a video publishes.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private Scenario _scenario = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "pub");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);
    }

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_image_is_published_to_a_facebook_page_and_an_instagram_account_with_the_same_bytes()
    {
        var (facebook, instagram, _) = await ConnectAllAsync();
        var imageUrl = _sandbox.Url("_sandbox/media/image.jpg");
        var imageHash = Convert.ToHexStringLower(SHA256.HashData(await fixture.Sandbox.GetByteArrayAsync("/_sandbox/media/image.jpg")));

        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId,
            targets = new[] { new { connection_id = facebook.ConnectionId }, new { connection_id = instagram.ConnectionId } },
            media = new { type = "image", url = imageUrl },
            caption = "Hello from Orbyt #test",
        }, HttpStatusCode.Accepted);
        Assert.Equal(2, created.GetProperty("jobs").GetArrayLength());
        Assert.All(created.GetProperty("jobs").EnumerateArray(), j => Assert.Equal("queued", j.GetProperty("status").GetString()));

        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!, poll: Poll);

        Assert.True(publication.GetProperty("status").GetString() == "published", publication.ToString());
        foreach (var job in publication.GetProperty("jobs").EnumerateArray())
        {
            Assert.Equal("published", job.GetProperty("status").GetString());
            Assert.StartsWith("https://", job.GetProperty("result").GetProperty("permalink").GetString());
        }
        var onPage = await _sandbox.PublishedAsync(facebook.AccountId);
        var onInstagram = await _sandbox.PublishedAsync(instagram.AccountId);
        Assert.Equal(imageHash, Assert.Single(onPage).GetProperty("sha256").GetString());
        Assert.Equal(imageHash, Assert.Single(onInstagram).GetProperty("sha256").GetString());
        Assert.Equal("Hello from Orbyt #test", onInstagram[0].GetProperty("caption").GetString());
    }

    [Fact]
    public async Task The_job_stream_drops_entries_once_they_are_acknowledged()
    {
        var (facebook, _, _) = await ConnectAllAsync();
        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } },
            media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") }, caption = "trimmed afterwards",
        }, HttpStatusCode.Accepted);
        var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var stream = redis.GetDatabase();
        async Task<bool> InStreamAsync() => (await stream.StreamRangeAsync(Core.Jobs.JobQueue.Stream)).Any(e => e[Core.Jobs.JobQueue.JobIdField] == jobId);

        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!, poll: Poll);
        // The reconciler trims every 2 s in these tests (Orbyt:Uploader:StreamTrimInterval).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await InStreamAsync() && DateTime.UtcNow < deadline)
            await Task.Delay(500);

        Assert.Equal("published", publication.GetProperty("status").GetString());
        Assert.False(await InStreamAsync(), $"job {jobId}'s entry is still in the stream after it was acknowledged");
    }

    [Fact]
    public async Task A_mux_video_is_published_to_facebook_instagram_reels_and_youtube_exactly_once_with_the_same_bytes()
    {
        var (facebook, instagram, youtube) = await ConnectAllAsync();
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 3 * 1024 * 1024 + 12345, ready_after_seconds = 0 });
        var asset = await assetResponse.Content.ReadFromJsonAsync<JsonElement>();
        var videoUrl = asset.GetProperty("url").GetString()!;
        var videoHash = asset.GetProperty("sha256").GetString()!;

        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId,
            targets = new[] { new { connection_id = facebook.ConnectionId }, new { connection_id = instagram.ConnectionId }, new { connection_id = youtube.ConnectionId } },
            media = new { type = "video", url = videoUrl },
            caption = "A video",
            title = "Orbyt test video",
            youtube = new { privacy_status = "unlisted", tags = new[] { "orbyt" } },
        }, HttpStatusCode.Accepted);

        // The platforms process on the sandbox's clock: move it while waiting.
        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!, clock: SandboxClockMove.EveryPoll, poll: Poll);

        Assert.True(publication.GetProperty("status").GetString() == "published", publication.ToString());
        var jobs = publication.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("platform").GetString()!);
        Assert.StartsWith("https://www.youtube.com/watch?v=", jobs["youtube"].GetProperty("result").GetProperty("permalink").GetString());
        Assert.Equal(asset.GetProperty("size_bytes").GetInt64(), jobs["youtube"].GetProperty("progress").GetProperty("bytes_transferred").GetInt64());
        Assert.Equal("push", jobs["youtube"].GetProperty("transfer_method").GetString());
        foreach (var account in new[] { facebook.AccountId, instagram.AccountId, youtube.AccountId })
        {
            var published = Assert.Single(await _sandbox.PublishedAsync(account));
            Assert.Equal(videoHash, published.GetProperty("sha256").GetString());
        }
    }

    [Theory]
    [InlineData("youtube", "image", "https://stream.mux.com/abc/image.jpg", "t", "media_type_not_supported")]
    [InlineData("youtube", "video", "https://stream.mux.com/abc/highest.mp4", null, "title_required")]
    [InlineData("facebook", "video", "http://127.0.0.1/video.mp4", null, "media_url_invalid")]
    [InlineData("facebook", "video", "https://127.0.0.1/video.mp4", null, "media_host_not_allowed")]
    [InlineData("facebook", "image", "https://169.254.169.254/latest/meta-data/x.jpg", null, "media_host_not_allowed")]
    [InlineData("facebook", "image", "https://evil.example/x.jpg", null, "media_host_not_allowed")]
    [InlineData("facebook", "video", "https://localhost:1/video.mp4", null, "media_address_forbidden")]
    [InlineData("facebook", "video", "ftp://stream.mux.com/video.mp4", null, "media_url_invalid")]
    public async Task Invalid_publications_are_refused_with_a_specific_code_and_nothing_is_queued(string platform, string type, string url, string? title, string code)
    {
        var connections = await ConnectAllAsync();
        var target = platform switch { "youtube" => connections.YouTube, "instagram" => connections.Instagram, _ => connections.Facebook };

        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = target.ConnectionId } }, media = new { type, url }, title,
        });

        var problem = await ApiProblem.AssertAsync(response, response.StatusCode, code);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task An_instagram_caption_with_too_many_hashtags_is_refused()
    {
        var (_, instagram, _) = await ConnectAllAsync();
        var caption = string.Join(' ', Enumerable.Range(0, 31).Select(i => $"#tag{i}"));

        using var response = await _api.SendAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _userId, targets = new[] { new { connection_id = instagram.ConnectionId } }, media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") }, caption,
        });

        await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "caption_invalid");
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task Another_users_or_another_clients_connection_cannot_be_targeted()
    {
        var (facebook, _, _) = await ConnectAllAsync();
        var body = new { user_id = "someone-else", targets = new[] { new { connection_id = facebook.ConnectionId } }, media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") } };

        using var otherUser = await _api.SendAsync(HttpMethod.Post, "/v1/publications", body);
        await ApiProblem.AssertAsync(otherUser, HttpStatusCode.NotFound, "not_found");

        var other = await _api.JsonAsync(HttpMethod.Post, "/v1/clients", new { name = "pub-other-" + _userId }, HttpStatusCode.Created);
        var otherClient = new ApiCaller(fixture.Api, other.GetProperty("api_key").GetProperty("key").GetString()!);
        using var otherClientResponse = await otherClient.SendAsync(HttpMethod.Post, "/v1/publications", body with { });
        await ApiProblem.AssertAsync(otherClientResponse, HttpStatusCode.NotFound, "not_found");
        await AssertNothingQueuedAsync();
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_the_first_response_and_a_different_body_is_refused()
    {
        var (facebook, _, _) = await ConnectAllAsync();
        var key = "key-" + Guid.NewGuid();
        object Body(string caption) => new
        {
            user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } },
            media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") }, caption, client_reference = "ref-" + _userId,
        };

        var first = await PostWithKeyAsync(key, Body("one"));
        var replay = await PostWithKeyAsync(key, Body("one"));
        using var reused = await SendWithKeyAsync(key, Body("two"));

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.True(replay.Replayed);
        await ApiProblem.AssertAsync(reused, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        var byReference = await _api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={_userId}&client_reference=ref-{_userId}");
        Assert.Single(byReference.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_replay_answers_as_the_first_time_after_the_target_was_disconnected_and_a_new_key_is_refused()
    {
        var (facebook, _, _) = await ConnectAllAsync();
        var key = "key-" + Guid.NewGuid();
        var body = new
        {
            user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } },
            media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") }, caption = "before the disconnect",
        };
        var first = await PostWithKeyAsync(key, body);

        await _api.JsonAsync(HttpMethod.Delete, $"/v1/connections/{facebook.ConnectionId}?user_id={_userId}");
        var replay = await PostWithKeyAsync(key, body);
        using var fresh = await SendWithKeyAsync("key-" + Guid.NewGuid(), body);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal((HttpStatusCode.Accepted, first.Body, true), replay);
        await ApiProblem.AssertAsync(fresh, HttpStatusCode.Conflict, "connection_revoked");
        var list = await _api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={_userId}");
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_requests_with_one_idempotency_key_create_one_publication()
    {
        var (facebook, _, _) = await ConnectAllAsync();
        var key = "key-" + Guid.NewGuid();
        var body = new
        {
            user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId } },
            media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") }, caption = "concurrent",
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await SendWithKeyAsync(key, body);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(results, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
        Assert.All(results.Where(r => r.StatusCode == HttpStatusCode.Conflict), r => Assert.Contains("idempotency_key_in_use", r.Body));
        var ids = results.Where(r => r.StatusCode == HttpStatusCode.Accepted).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()).Distinct();
        Assert.Single(ids);
        var list = await _api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={_userId}");
        Assert.Single(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Jobs_are_listed_with_filters_and_a_cursor()
    {
        var (facebook, instagram, _) = await ConnectAllAsync();
        for (var i = 0; i < 3; i++)
        {
            await _api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = _userId, targets = new[] { new { connection_id = facebook.ConnectionId }, new { connection_id = instagram.ConnectionId } },
                media = new { type = "image", url = _sandbox.Url("_sandbox/media/image.jpg") }, caption = $"list {i}",
            }, HttpStatusCode.Accepted);
        }

        var firstPage = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}&limit=4");
        var secondPage = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}&limit=4&starting_after={firstPage.GetProperty("next_starting_after").GetString()}");
        var instagramOnly = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}&platform=instagram");

        Assert.Equal(4, firstPage.GetProperty("data").GetArrayLength());
        Assert.True(firstPage.GetProperty("has_more").GetBoolean());
        Assert.Equal(2, secondPage.GetProperty("data").GetArrayLength());
        Assert.False(secondPage.GetProperty("has_more").GetBoolean());
        var all = firstPage.GetProperty("data").EnumerateArray().Concat(secondPage.GetProperty("data").EnumerateArray()).Select(j => j.GetProperty("id").GetString()).ToArray();
        Assert.Equal(6, all.Distinct().Count());
        Assert.Equal(3, instagramOnly.GetProperty("data").GetArrayLength());
    }

    /// <summary>One sandbox identity's Facebook Page, Instagram account and YouTube channel, connected.</summary>
    private async Task<(ConnectedAccount Facebook, ConnectedAccount Instagram, ConnectedAccount YouTube)> ConnectAllAsync()
    {
        await _scenario.NewIdentityAsync();
        return (await _scenario.ConnectAccountAsync("facebook"), await _scenario.ConnectAccountAsync("instagram"), await _scenario.ConnectAccountAsync("youtube"));
    }

    private async Task AssertNothingQueuedAsync()
    {
        var jobs = await _api.JsonAsync(HttpMethod.Get, $"/v1/jobs?user_id={_userId}");
        Assert.Empty(jobs.GetProperty("data").EnumerateArray());
    }

    private async Task<HttpResponseMessage> SendWithKeyAsync(string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/publications") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        request.Headers.Add("Idempotency-Key", key);
        return await fixture.Api.SendAsync(request);
    }

    private async Task<(HttpStatusCode Status, string Body, bool Replayed)> PostWithKeyAsync(string key, object body)
    {
        using var response = await SendWithKeyAsync(key, body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
    }
}
