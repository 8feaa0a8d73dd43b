using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Orbyt.Core.Data;
using Orbyt.Core.Webhooks;
using Orbyt.Uploader.Publishing;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// A publication completes exactly once when its jobs finish at the same moment on two replicas: the terminal
/// transactions of two Uploader replicas, run side by side against the real PostgreSQL.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PublicationCompletionTests(AppHostFixture fixture)
{
    /// <summary>How long a terminal transaction that has read its siblings waits for the other to read them too.</summary>
    private static readonly TimeSpan RendezvousTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Two_jobs_of_one_publication_finishing_at_once_on_two_replicas_record_publication_completed_exactly_once()
    {
        var (publicationId, jobIds) = await ArrangeTwoRunningJobsAsync();

        // Each replica's terminal transaction, after reading the publication's other jobs, waits (up to 3 s) until the
        // other replica has read them as well: exactly the interleaving in which, unlocked, each sees the other running.
        var rendezvous = new SiblingsRendezvous(2, RendezvousTimeout);
        await Task.WhenAll(jobIds.Select(id => FinishOnReplicaAsync(id, publicationId, rendezvous)));

        await using var db = TestDatabase.Open(fixture);
        var completed = await db.WebhookEvents.AsNoTracking()
            .Where(e => e.Type == WebhookEventTypes.PublicationCompleted)
            .Where(e => e.Payload.RootElement.GetProperty("data").GetProperty("publication_id").GetString() == publicationId.ToString())
            .ToListAsync();
        var single = Assert.Single(completed);
        Assert.Equal(2, single.Payload.RootElement.GetProperty("data").GetProperty("published").GetInt32());
        Assert.NotNull((await db.Publications.AsNoTracking().SingleAsync(p => p.Id == publicationId)).CompletedAt);
        Assert.Equal(2, await db.WebhookEvents.CountAsync(e => e.Type == WebhookEventTypes.JobPublished
            && e.Payload.RootElement.GetProperty("data").GetProperty("publication_id").GetString() == publicationId.ToString()));
        // The second replica waited for the first one's lock instead of reading alongside it.
        Assert.Equal(1, rendezvous.Timeouts);
    }

    [Fact]
    public async Task Cancelling_the_last_open_job_of_a_publication_completes_it_with_one_publication_completed()
    {
        using var scenario = await Scenario.StartAsync(fixture, "cancel");
        await using var receiver = await Webhooks.WebhookReceiver.StartAsync();
        var instagram = await scenario.ConnectNewAccountAsync("instagram");
        var facebook = await scenario.ConnectAccountAsync("facebook");
        // The MP4 is made only in an hour (§16.2): both jobs wait in stage downloading, where a job can be cancelled.
        var asset = await scenario.Sandbox.MuxAssetAsync(new { size_bytes = 1024 * 1024, ready_after_seconds = 3600 });
        var created = await scenario.Api.JsonAsync(HttpMethod.Post, "/v1/publications", new
        {
            user_id = scenario.UserId,
            targets = new[] { new { connection_id = instagram.ConnectionId }, new { connection_id = facebook.ConnectionId } },
            media = new { type = "video", url = asset.GetProperty("url").GetString() },
            caption = "cancelled", title = "cancelled",
            callback_url = receiver.Url("/callback"),
        }, System.Net.HttpStatusCode.Accepted);
        var publicationId = Guid.Parse(created.GetProperty("id").GetString()!);
        var jobIds = created.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(2, jobIds.Length);
        foreach (var id in jobIds)
            await scenario.WaitForJobAsync(id, j => j.GetProperty("stage").GetString() == "downloading");

        await scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{jobIds[0]}/cancel", new { user_id = scenario.UserId });
        await using (var db = TestDatabase.Open(fixture))
        {
            // One job still open: not complete yet.
            Assert.Null((await db.Publications.AsNoTracking().SingleAsync(p => p.Id == publicationId)).CompletedAt);
            Assert.Equal(0, await CompletedEventsAsync(db, publicationId));
        }
        var last = await scenario.Api.JsonAsync(HttpMethod.Post, $"/v1/jobs/{jobIds[1]}/cancel", new { user_id = scenario.UserId });
        Assert.Equal("cancelled", last.GetProperty("status").GetString());

        await using (var db = TestDatabase.Open(fixture))
        {
            Assert.NotNull((await db.Publications.AsNoTracking().SingleAsync(p => p.Id == publicationId)).CompletedAt);
            var completed = Assert.Single(await db.WebhookEvents.AsNoTracking()
                .Where(e => e.Type == WebhookEventTypes.PublicationCompleted)
                .Where(e => e.Payload.RootElement.GetProperty("data").GetProperty("publication_id").GetString() == publicationId.ToString())
                .ToListAsync());
            var data = completed.Payload.RootElement.GetProperty("data");
            Assert.Equal(2, data.GetProperty("cancelled").GetInt32());
            Assert.Equal(0, data.GetProperty("published").GetInt32() + data.GetProperty("failed").GetInt32());
            Assert.Equal(receiver.Url("/callback"), completed.CallbackUrl);
        }
        var publication = await scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/publications/{publicationId}?user_id={scenario.UserId}");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, publication.GetProperty("completed_at").ValueKind);
    }

    private static Task<int> CompletedEventsAsync(OrbytDbContext db, Guid publicationId) =>
        db.WebhookEvents.CountAsync(e => e.Type == WebhookEventTypes.PublicationCompleted
            && e.Payload.RootElement.GetProperty("data").GetProperty("publication_id").GetString() == publicationId.ToString());

    /// <summary>What <c>JobRunner</c> does when a job's last step published: its own DbContext, the leased job, the publication.</summary>
    private async Task FinishOnReplicaAsync(Guid jobId, Guid publicationId, SiblingsRendezvous rendezvous)
    {
        await using var db = new OrbytDbContext(new DbContextOptionsBuilder<OrbytDbContext>()
            .UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention()
            .AddInterceptors(rendezvous).Options);
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        var publication = db.Publications.Attach(await db.Publications.AsNoTracking().SingleAsync(p => p.Id == publicationId)).Entity;
        var now = DateTimeOffset.UtcNow;
        job.Status = JobStatuses.Published;
        job.ResultPostId = "post-" + jobId.ToString("N")[..8];
        job.CompletedAt = now;
        job.LeaseUntil = null;
        job.LeaseOwner = null;
        await new JobOutcomeWriter(db, NullLogger<JobOutcomeWriter>.Instance).SaveFinishedAsync(job, publication, jobCount: 2, notify: true, now, CancellationToken.None);
    }

    /// <summary>
    /// A client of its own (no webhook endpoints: the fan-out delivers these events nowhere), a Facebook connection, and
    /// a publication with two jobs both leased by a replica for a minute, so the deployed Uploader leaves them alone.
    /// </summary>
    private async Task<(Guid PublicationId, Guid[] JobIds)> ArrangeTwoRunningJobsAsync()
    {
        await using var db = TestDatabase.Open(fixture);
        var now = DateTimeOffset.UtcNow;
        var client = new ApiClient { Id = Guid.NewGuid(), Name = "completion-race", CreatedAt = now };
        var connection = new Connection
        {
            Id = Guid.NewGuid(), ClientId = client.Id, UserId = "completion-user", Platform = PlatformNames.Facebook,
            AccountId = "page-" + Guid.NewGuid().ToString("N")[..10], ConnectedAt = now, UpdatedAt = now,
        };
        var publication = new Publication
        {
            Id = Guid.NewGuid(), ClientId = client.Id, UserId = connection.UserId, MediaType = MediaTypes.Image,
            MediaUrl = "https://stream.mux.com/completion/image.jpg", CreatedAt = now,
        };
        var jobs = Enumerable.Range(0, 2).Select(i => new Job
        {
            Id = Guid.NewGuid(), PublicationId = publication.Id, ConnectionId = connection.Id, ClientId = client.Id, UserId = connection.UserId,
            Platform = PlatformNames.Facebook, Status = JobStatuses.Processing, Stage = JobStages.Publishing, Attempts = 1,
            NextAttemptAt = now, LeaseUntil = now.AddMinutes(1), LeaseOwner = "replica-" + i, CreatedAt = now, UpdatedAt = now,
        }).ToArray();
        db.AddRange(client, connection, publication);
        db.AddRange(jobs);
        await db.SaveChangesAsync();
        return (publication.Id, jobs.Select(j => j.Id).ToArray());
    }

    /// <summary>
    /// Holds each terminal transaction right after its read of the publication's other jobs until every participant has
    /// made that read, or the timeout passes (counted: a participant blocked before the read, on the publication's lock,
    /// never arrives).
    /// </summary>
    private sealed class SiblingsRendezvous(int participants, TimeSpan timeout) : DbCommandInterceptor
    {
        private readonly CountdownEvent _arrived = new(participants);
        private int _timeouts;

        public int Timeouts => _timeouts;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (IsSiblingsRead(command.CommandText))
            {
                _arrived.Signal();
                var all = await Task.Run(() => _arrived.Wait(timeout), cancellationToken);
                if (!all) Interlocked.Increment(ref _timeouts);
            }
            return result;
        }

        private static bool IsSiblingsRead(string sql) =>
            sql.Contains("FROM jobs", StringComparison.Ordinal) && sql.Contains(".publication_id = ", StringComparison.Ordinal)
            && sql.Contains(".id <> ", StringComparison.Ordinal);
    }
}
