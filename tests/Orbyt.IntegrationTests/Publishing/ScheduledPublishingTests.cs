using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orbyt.IntegrationTests.Webhooks;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Scheduled publishing (issue 18): a publication with publish_at waits as scheduled jobs in PostgreSQL, is released
/// into the stream by the Uploader's scheduler at its time (exactly once, whatever the number of replicas), survives
/// restarts of the Uploader and of Redis, can be rescheduled and cancelled until it is released, and fails its pre-flight
/// check — with its webhook — long before the time when its grant died.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ScheduledPublishingTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);
    private Scenario _scenario = null!;
    private readonly ResourceControl _resources = new(fixture.App);

    public async Task InitializeAsync() => _scenario = await Scenario.StartAsync(fixture, "schedule");

    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        await _resources.EnsureRunningAsync("redis");
        await _resources.EnsureRunningAsync("uploader");
    }

    private string Image => _scenario.Sandbox.Url("_sandbox/media/image.jpg");

    /// <summary>RFC 3339 with a +02:00 offset: the API must read the offset, not assume UTC.</summary>
    private static string At(DateTimeOffset time) => time.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private async Task<JsonElement> ScheduleAsync(string connectionId, DateTimeOffset publishAt, string caption, string? callbackUrl = null) =>
        await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = connectionId } },
            media = new { type = "image", url = Image }, caption, publish_at = At(publishAt), callback_url = callbackUrl,
        }, HttpStatusCode.Accepted);

    [Fact]
    public async Task A_scheduled_post_waits_as_scheduled_and_is_released_within_a_second_of_its_publish_at_and_published_once()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook", new { pages = 1 });
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(4);

        var created = await ScheduleAsync(page.ConnectionId, publishAt, "on time");

        Assert.Equal("scheduled", created.GetProperty("status").GetString());
        var job = created.GetProperty("jobs")[0];
        Assert.Equal("scheduled", job.GetProperty("status").GetString());
        Assert.Equal(publishAt.ToUnixTimeMilliseconds(), job.GetProperty("publish_at").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var jobId = job.GetProperty("id").GetString()!;
        Assert.Empty(await _scenario.Sandbox.PublishedAsync(page.AccountId));

        var done = await _scenario.WaitForJobToFinishAsync(jobId, JobTimeout);
        Assert.True(done.GetProperty("status").GetString() == "published", done.ToString());
        Assert.Single(await _scenario.Sandbox.PublishedAsync(page.AccountId));
        await using var db = TestDatabase.Open(fixture);
        var row = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == Guid.Parse(jobId));
        var lateness = row.ReleasedAt!.Value - row.PublishAt!.Value;
        Assert.InRange(lateness.TotalMilliseconds, 0, 1000);
    }

    [Theory]
    [InlineData("2030-01-01T09:00:00")]          // no offset
    [InlineData("2030-01-01 09:00:00Z")]         // not RFC 3339
    [InlineData("2020-01-01T09:00:00Z")]         // in the past
    [InlineData("2099-01-01T09:00:00+01:00")]    // more than a year ahead
    public async Task A_publish_at_without_an_offset_in_the_past_or_too_far_ahead_is_refused(string publishAt)
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook", new { pages = 1 });
        var body = new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = page.ConnectionId } },
            media = new { type = "image", url = Image }, publish_at = publishAt,
        };

        using var created = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications", body);
        using var validated = await _scenario.Api.SendAsync(HttpMethod.Post, "/v1/publications/validate", body);

        await ApiProblem.AssertAsync(created, HttpStatusCode.BadRequest, "validation_failed");
        await ApiProblem.AssertAsync(validated, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_scheduled_job_is_rescheduled_and_another_cancelled_before_release_and_only_the_first_is_published()
    {
        var ids = await (await NewPagesAsync(2)).ConnectAsync("facebook");
        var far = DateTimeOffset.UtcNow.AddHours(1);
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId,
            // The second target has its own time.
            targets = new object[] { new { connection_id = ids[0] }, new { connection_id = ids[1], publish_at = At(far.AddHours(1)) } },
            media = new { type = "image", url = Image }, caption = "reschedule", publish_at = At(far),
        }, HttpStatusCode.Accepted);
        var jobs = created.GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("connection_id").GetString()!, j => j.GetProperty("id").GetString()!);
        Assert.Equal(far.AddHours(1).ToUnixTimeSeconds(), created.GetProperty("jobs").EnumerateArray()
            .Single(j => j.GetProperty("connection_id").GetString() == ids[1]).GetProperty("publish_at").GetDateTimeOffset().ToUnixTimeSeconds());

        var soon = DateTimeOffset.UtcNow.AddSeconds(3);
        JsonElement moved;
        try
        {
            moved = await _scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{jobs[ids[0]]}/reschedule", new { user_id = _scenario.UserId, publish_at = At(soon) });
        }
        catch (Xunit.Sdk.XunitException e)
        {
            // The API's log of the failure arrives with the next OTLP batch.
            await Task.Delay(TimeSpan.FromSeconds(3));
            throw new InvalidOperationException(e.Message + "\n" + ErrorLogs(), e);
        }
        Assert.Equal("scheduled", moved.GetProperty("status").GetString());
        Assert.Equal(soon.ToUnixTimeSeconds(), moved.GetProperty("publish_at").GetDateTimeOffset().ToUnixTimeSeconds());
        // Moved to the same moment, then cancelled: the scheduler passes its time without releasing it.
        await _scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{jobs[ids[1]]}/reschedule", new { user_id = _scenario.UserId, publish_at = At(soon) });
        var cancelled = await _scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{jobs[ids[1]]}/cancel", new { user_id = _scenario.UserId });
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        var published = await _scenario.WaitForJobToFinishAsync(jobs[ids[0]], JobTimeout);
        Assert.True(published.GetProperty("status").GetString() == "published", published.ToString());
        var stillCancelled = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/jobs/{jobs[ids[1]]}?user_id={_scenario.UserId}");
        Assert.Equal("cancelled", stillCancelled.GetProperty("status").GetString());
        await using (var db = TestDatabase.Open(fixture))
            Assert.Null((await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == Guid.Parse(jobs[ids[1]]))).ReleasedAt);
        var publication = await _scenario.WaitForPublicationAsync(created.GetProperty("id").GetString()!);
        Assert.Equal("partially_published", publication.GetProperty("status").GetString());

        // Released and done: no longer reschedulable; a bad time is refused as at creation.
        using var late = await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/jobs/{jobs[ids[0]]}/reschedule", new { user_id = _scenario.UserId, publish_at = At(far) });
        await ApiProblem.AssertAsync(late, HttpStatusCode.Conflict, "job_not_reschedulable");
        using var bad = await _scenario.Api.SendAsync(HttpMethod.Post, $"/v1/jobs/{jobs[ids[0]]}/reschedule", new { user_id = _scenario.UserId, publish_at = "tomorrow" });
        await ApiProblem.AssertAsync(bad, HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Scheduled_jobs_survive_an_uploader_restart_and_a_redis_restart_and_are_published_once()
    {
        var page = await _scenario.ConnectNewAccountAsync("facebook", new { pages = 1 });
        await _resources.StopAsync("uploader");
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var jobIds = new List<string>();
        for (var i = 0; i < 3; i++)
            jobIds.Add((await ScheduleAsync(page.ConnectionId, publishAt, $"restarts {i}")).GetProperty("jobs")[0].GetProperty("id").GetString()!);
        // The local Redis keeps no data in tests: the restart loses the stream and its consumer group.
        await _resources.StopAsync("redis");
        await _resources.StartAsync("redis");
        await _resources.StartAsync("uploader");

        foreach (var jobId in jobIds)
        {
            var job = await _scenario.WaitForJobToFinishAsync(jobId, JobTimeout);
            Assert.True(job.GetProperty("status").GetString() == "published", job.ToString());
        }
        Assert.Equal(3, (await _scenario.Sandbox.PublishedAsync(page.AccountId)).Length);
        // Reset what the test changed: the API answers again (its Redis-backed limiter reconnected) before the next test.
        await Eventually.ReadAsync(async () => (await _scenario.Api.SendAsync(HttpMethod.Get, "/v1/client")).StatusCode,
            status => status == HttpStatusCode.OK, "the API to answer after the Redis restart", TimeSpan.FromSeconds(60));
    }

    [Fact]
    [Trait("Redis", "Cluster")]
    public async Task Two_uploader_replicas_releasing_the_same_due_jobs_never_release_one_twice()
    {
        const int count = 40;
        var pages = await (await NewPagesAsync(4)).ConnectAsync("facebook");
        // Same settings as the AppHost's replica (a pass every 200 ms, batches of 10), at another phase.
        await using var replica = await UploaderReplica.StartAsync(fixture, "scheduler-test-replica");
        // Half of the jobs fall due at one instant (both replicas claim from the same rows), half one by one 100 ms
        // apart (each goes to whichever replica passes first).
        var burst = DateTimeOffset.UtcNow.AddSeconds(10);
        var jobIds = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var publishAt = i < count / 2 ? burst : burst.AddMilliseconds(100 * (i - count / 2 + 1));
            jobIds.Add((await ScheduleAsync(pages[i % pages.Length], publishAt, $"race {i}")).GetProperty("jobs")[0].GetProperty("id").GetString()!);
        }
        Assert.True(DateTimeOffset.UtcNow < burst, "creating the jobs took longer than the lead given; the race did not happen");

        var ids = jobIds.Select(Guid.Parse).ToArray();
        var rows = await Eventually.ReadAsync(async () =>
            {
                await using var db = TestDatabase.Open(fixture);
                return await db.Jobs.AsNoTracking().Where(j => ids.Contains(j.Id)).Select(j => new { j.Id, j.ReleasedAt, j.ReleasedBy, j.PublishAt }).ToListAsync();
            },
            r => r.All(j => j.ReleasedAt is not null), "every job released", JobTimeout);

        // Every release span — the in-process replica's and the AppHost replica's (exported over OTLP) — names one job once.
        string[] SpanReleases() => fixture.Telemetry.Spans.Where(s => s.Name == "job release" && s.Tag("orbyt.job.id") is { } id && jobIds.Contains(id))
            .Select(s => s.Tag("orbyt.job.id")!).Concat(replica.Releases.SelectMany(r => Enumerable.Repeat(r.Key, r.Value))).ToArray();
        var releases = await Eventually.ReadAsync(() => Task.FromResult(SpanReleases()), r => r.Length >= count, "release spans", TimeSpan.FromSeconds(30));
        var twice = releases.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.True(twice.Length == 0, $"released more than once: {string.Join(", ", twice)}");
        Assert.Equal(jobIds.Order(), releases.Order());
        // Which replica released what (both usually take part; on a loaded machine one may win every pass), and none
        // released a job before its time.
        var byReplica = string.Join(", ", rows.GroupBy(r => r.ReleasedBy).Select(g => $"{g.Key}: {g.Count()}"));
        Assert.True(rows.All(r => r.ReleasedBy is not null), byReplica);
        Assert.All(rows, r => Assert.True(r.ReleasedAt >= r.PublishAt, $"{r.Id} released at {r.ReleasedAt:O} before {r.PublishAt:O}"));
    }

    [Fact]
    public async Task A_scheduled_job_whose_grant_was_revoked_fails_its_preflight_hours_ahead_with_its_webhook()
    {
        var identity = await _scenario.NewIdentityAsync(new { pages = 1 });
        var page = await _scenario.ConnectAccountAsync("facebook");
        await using var receiver = await WebhookReceiver.StartAsync();
        // Callbacks are signed with the client's endpoint secret: the client needs an enabled endpoint.
        var endpoint = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url(), description = "preflight" }, HttpStatusCode.Created);
        var endpointId = endpoint.GetProperty("id").GetString()!;
        try
        {
            // The person removes the app at Meta: nothing tells Orbyt until it asks (§1.5 debug_token).
            (await fixture.Sandbox.PostAsync($"/_sandbox/identities/{identity.GetProperty("id").GetString()}/revoke",
                new StringContent("{\"platform\":\"meta\"}", System.Text.Encoding.UTF8, "application/json"))).Dispose();
            var publishAt = DateTimeOffset.UtcNow.AddHours(6);

            var created = await ScheduleAsync(page.ConnectionId, publishAt, "preflight", receiver.Url("/callback"));
            var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;

            var failed = await _scenario.WaitForJobToFinishAsync(jobId, JobTimeout);
            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Equal("reauth_required", failed.GetProperty("error").GetProperty("code").GetString());
            Assert.True(failed.GetProperty("completed_at").GetDateTimeOffset() < publishAt.AddHours(-5), failed.ToString());
            ReceivedWebhook? hook;
            try
            {
                hook = await Eventually.ReadAsync(() => Task.FromResult(receiver.Received.FirstOrDefault(r => r.Path == "/callback" && r.Type == "job.failed")),
                    r => r is not null, "job.failed at the callback URL", Scenario.DeliveryTimeout);
            }
            catch (TimeoutException e)
            {
                await using var db = TestDatabase.Open(fixture);
                var deliveries = await db.WebhookDeliveries.AsNoTracking().Include(d => d.Event).Where(d => d.TargetUrl == receiver.Url("/callback")).ToListAsync();
                var events = await db.WebhookEvents.AsNoTracking().Where(ev => ev.CallbackUrl == receiver.Url("/callback")).Select(ev => ev.Type + " dispatched " + ev.DispatchedAt).ToListAsync();
                throw new TimeoutException($"{e.Message}\nreceived: {string.Join(", ", receiver.Received.Select(r => r.Path + " " + r.Type))}\n"
                    + $"events: {string.Join("; ", events)}\ndeliveries: {string.Join("; ", deliveries.Select(d => $"{d.Event!.Type} {d.TargetUrl} {d.Status} {d.Attempts} {d.LastResponseCode} {d.LastError}"))}\n{ErrorLogs()}", e);
            }
            Assert.Equal(jobId, hook!.Json.GetProperty("data").GetProperty("job").GetProperty("id").GetString());
            Assert.Empty(await _scenario.Sandbox.PublishedAsync(page.AccountId));
        }
        finally
        {
            // Other tests of the client expect no endpoint.
            (await _scenario.Api.SendAsync(HttpMethod.Delete, $"/v1/webhooks/{endpointId}")).Dispose();
        }
    }

    [Fact]
    public async Task A_public_youtube_video_is_uploaded_ahead_as_private_with_youtubes_publishAt_and_reported_published_once_live()
    {
        var channel = await _scenario.ConnectNewAccountAsync("youtube");
        var asset = await _scenario.Sandbox.MuxAssetAsync(new { size_bytes = 1024 * 1024 });
        // The test's lead is 8 s (Orbyt:Schedule:YouTubeUploadLead): released at once, live in 9 s.
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(9);
        var created = await _scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = _scenario.UserId, targets = new[] { new { connection_id = channel.ConnectionId } },
            media = new { type = "video", url = asset.GetProperty("url").GetString() }, title = "Ahead",
            youtube = new { privacy_status = "public" }, publish_at = At(publishAt),
        }, HttpStatusCode.Accepted);
        var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;

        var waiting = await _scenario.WaitForJobAsync(jobId, j => j.GetProperty("stage").GetString() == "waiting_publish_time"
            || j.GetProperty("status").GetString() is "published" or "failed", JobTimeout, SandboxClockMove.WhilePlatformProcessing, TimeSpan.FromMilliseconds(300));
        Assert.True(waiting.GetProperty("stage").GetString() == "waiting_publish_time", "the upload took longer than the lead: " + waiting);
        var video = Assert.Single(await _scenario.Sandbox.PublishedAsync(channel.AccountId));
        var token = await TestDatabase.ConnectionTokenAsync(fixture, channel.ConnectionId);
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/youtube/youtube/v3/videos?id={video.GetProperty("id").GetString()}&part=status");
        read.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var answer = await fixture.Sandbox.SendAsync(read);
        var status = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("items")[0].GetProperty("status");
        // Sent private with YouTube's own publishAt (§15.4), to the second.
        Assert.Equal(publishAt.ToUnixTimeSeconds(), DateTimeOffset.Parse(status.GetProperty("publishAt").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeSeconds());

        var done = await _scenario.WaitForJobToFinishAsync(jobId, JobTimeout);
        Assert.True(done.GetProperty("status").GetString() == "published", done.ToString());
        Assert.Equal("public", done.GetProperty("result").GetProperty("privacy_status").GetString());
        Assert.Empty(done.GetProperty("result").GetProperty("warnings").EnumerateArray());
        Assert.True(done.GetProperty("completed_at").GetDateTimeOffset() >= publishAt.AddMilliseconds(-1), done.ToString());
        Assert.Single(await _scenario.Sandbox.PublishedAsync(channel.AccountId));
    }

    /// <summary>The services' error logs, for a failure message.</summary>
    private string ErrorLogs() => string.Join("\n", fixture.Telemetry.Logs.Where(l => l.Severity >= 13).TakeLast(20));

    private async Task<Scenario> NewPagesAsync(int pages)
    {
        await _scenario.NewIdentityAsync(new { pages });
        return _scenario;
    }
}
