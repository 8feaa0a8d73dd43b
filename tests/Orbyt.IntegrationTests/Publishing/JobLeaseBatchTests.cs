using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Data;
using Orbyt.Uploader.Publishing;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Issue 20: an Uploader replica takes the leases of steps started together in one statement (<see cref="JobLeases"/>),
/// and each lease still answers for itself. A throw-away database on the AppHost's PostgreSQL (migrated like
/// production) and the Uploader's own leaser: the first lease is held on a row lock the test takes on its job, so the
/// leases asked for meanwhile queue up and go as one statement when the lock is released.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class JobLeaseBatchTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ActivitySource TestSource = new("Orbyt.IntegrationTests.JobLeases");
    private readonly string _database = $"orbyt_leases_{Guid.NewGuid():N}"[..29];
    private readonly Guid _clientId = Guid.NewGuid();
    private readonly Guid _connectionId = Guid.NewGuid();
    private readonly Guid _publicationId = Guid.NewGuid();
    private string _connectionString = null!;
    private ServiceProvider _services = null!;
    private JobLeases _leases = null!;
    private BatchSpans _batches = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateThrowAwayAsync(fixture, _database);
        await using (var db = Context())
        {
            var now = DateTimeOffset.UtcNow;
            db.AddRange(
                new ApiClient { Id = _clientId, Name = "lease-batch", CreatedAt = now },
                new Connection { Id = _connectionId, ClientId = _clientId, UserId = "u", Platform = PlatformNames.Facebook, AccountId = "page-1", ConnectedAt = now, UpdatedAt = now },
                new Publication { Id = _publicationId, ClientId = _clientId, UserId = "u", MediaType = MediaTypes.Image, MediaUrl = "https://stream.mux.com/leases/image.jpg", CreatedAt = now });
            await db.SaveChangesAsync();
        }

        // By name: JobRunner.Source is being created when the first listener check runs. The test's own source gives
        // each test a trace, so only its batches are counted (an Uploader replica of another test may share the process).
        _batches = new BatchSpans("job lease batch", JobLeases.BatchSizeTag, "Orbyt.Uploader", TestSource.Name);
        _services = new ServiceCollection()
            .AddDbContext<OrbytDbContext>(o => o.UseNpgsql(_connectionString).UseSnakeCaseNamingConvention())
            .BuildServiceProvider();
        _leases = new JobLeases(_services.GetRequiredService<IServiceScopeFactory>(), Options.Create(new UploaderOptions()),
            TimeProvider.System, NullLogger<JobLeases>.Instance);
        await _leases.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _leases.StopAsync(CancellationToken.None);
        _batches.Dispose();
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(fixture, _database);
    }

    [Fact]
    public async Task Leases_asked_for_together_go_as_one_statement_and_each_answers_for_itself()
    {
        using var trace = TestSource.StartActivity("test");
        var now = DateTimeOffset.UtcNow;
        var first = await AddJobAsync(JobStatuses.Queued, now);
        var a = await AddJobAsync(JobStatuses.Queued, now);
        var b = await AddJobAsync(JobStatuses.Queued, now);
        var later = await AddJobAsync(JobStatuses.Queued, now.AddHours(1));
        var done = await AddJobAsync(JobStatuses.Published, now);
        var otherOwner = await AddJobAsync(JobStatuses.Queued, now);
        var abandoned = await AddJobAsync(JobStatuses.Queued, now);
        using var gone = new CancellationTokenSource();

        Task<LeasedJob?> aLease = null!, aAgain = null!, bLease = null!, laterLease = null!, doneLease = null!, otherLease = null!;
        var firstLease = await LeaseBehindAHeldRowAsync(first, async () =>
        {
            aLease = _leases.LeaseAsync(a, "replica-1", CancellationToken.None);
            // The same job twice (a stream entry and its re-added duplicate): one of them gets it.
            aAgain = _leases.LeaseAsync(a, "replica-1", CancellationToken.None);
            bLease = _leases.LeaseAsync(b, "replica-1", CancellationToken.None);
            laterLease = _leases.LeaseAsync(later, "replica-1", CancellationToken.None);
            doneLease = _leases.LeaseAsync(done, "replica-1", CancellationToken.None);
            otherLease = _leases.LeaseAsync(otherOwner, "replica-2", CancellationToken.None);
            var abandonedLease = _leases.LeaseAsync(abandoned, "replica-1", gone.Token);
            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandonedLease);
        });

        Assert.Equal(first, (await firstLease.WaitAsync(Timeout))?.Job.Id);
        Assert.Equal(b, (await bLease.WaitAsync(Timeout))?.Job.Id);
        var aAnswers = new[] { await aLease.WaitAsync(Timeout), await aAgain.WaitAsync(Timeout) };
        Assert.Single(aAnswers, j => j?.Job.Id == a);
        Assert.Single(aAnswers, j => j is null);
        Assert.Null(await laterLease.WaitAsync(Timeout));
        Assert.Null(await doneLease.WaitAsync(Timeout));
        Assert.Equal(otherOwner, (await otherLease.WaitAsync(Timeout))?.Job.Id);
        // The held one alone; then the five asks of replica-1 in one statement; replica-2's in the next.
        Assert.Equal([1, 5, 1], _batches.Sizes(trace!.TraceId));

        await using var db = Context();
        var rows = await db.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id);
        foreach (var (id, owner) in new[] { (first, "replica-1"), (a, "replica-1"), (b, "replica-1"), (otherOwner, "replica-2") })
        {
            Assert.Equal(JobStatuses.Processing, rows[id].Status);
            Assert.Equal(owner, rows[id].LeaseOwner);
        }
        foreach (var id in new[] { later, abandoned })
        {
            Assert.Equal(JobStatuses.Queued, rows[id].Status);
            Assert.Null(rows[id].LeaseOwner);
        }
        Assert.Equal(JobStatuses.Published, rows[done].Status);

        // A leased job comes back with what its step needs, loaded in the same batch.
        var leasedB = (await bLease)!;
        Assert.Equal(_publicationId, leasedB.Step.Publication.Id);
        Assert.Equal(_connectionId, leasedB.Step.Connection.Id);
        Assert.Equal(7, leasedB.Step.JobCount);
        Assert.False(leasedB.Step.ClientHasEndpoint);
        // And with the row's version: saved through a context of its own, as the runner does.
        var leased = leasedB.Job;
        await using var runner = Context();
        runner.Jobs.Attach(leased);
        leased.Stage = JobStages.Publishing;
        await runner.SaveChangesAsync();
        await using var check = Context();
        Assert.Equal(JobStages.Publishing, (await check.Jobs.AsNoTracking().SingleAsync(j => j.Id == b)).Stage);
    }

    [Fact]
    public async Task A_lease_statement_postgresql_refuses_is_run_again_lease_by_lease()
    {
        using var trace = TestSource.StartActivity("test");
        var now = DateTimeOffset.UtcNow;
        var first = await AddJobAsync(JobStatuses.Queued, now);
        var good = await AddJobAsync(JobStatuses.Queued, now);
        var broken = await AddJobAsync(JobStatuses.Queued, now);
        var alsoGood = await AddJobAsync(JobStatuses.Queued, now);
        // A trigger refuses to lease this one job: the statement that holds it fails, and with it the other rows' leases.
        await ExecuteAsync($"""
            CREATE FUNCTION refuse_lease() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.id = '{broken}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_lease BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION refuse_lease();
            """);

        Task<LeasedJob?> goodLease = null!, brokenLease = null!, alsoGoodLease = null!;
        var firstLease = await LeaseBehindAHeldRowAsync(first, () =>
        {
            goodLease = _leases.LeaseAsync(good, "replica-1", CancellationToken.None);
            brokenLease = _leases.LeaseAsync(broken, "replica-1", CancellationToken.None);
            alsoGoodLease = _leases.LeaseAsync(alsoGood, "replica-1", CancellationToken.None);
            return Task.CompletedTask;
        });

        Assert.Equal(first, (await firstLease.WaitAsync(Timeout))?.Job.Id);
        Assert.Equal(good, (await goodLease.WaitAsync(Timeout))?.Job.Id);
        Assert.Equal(alsoGood, (await alsoGoodLease.WaitAsync(Timeout))?.Job.Id);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => brokenLease.WaitAsync(Timeout));
        Assert.Equal(PostgresErrorCodes.RaiseException, refused.SqlState);
        // The statement of three was refused as a whole, then each lease went alone.
        Assert.Equal([1, 3, 1, 1, 1], _batches.Sizes(trace!.TraceId));
        await using var db = Context();
        Assert.Equal(JobStatuses.Queued, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == broken)).Status);
    }

    private OrbytDbContext Context() =>
        new(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(_connectionString).UseSnakeCaseNamingConvention().Options);

    private async Task<Guid> AddJobAsync(string status, DateTimeOffset nextAttemptAt)
    {
        var now = DateTimeOffset.UtcNow;
        var job = new Job
        {
            Id = Guid.CreateVersion7(now), PublicationId = _publicationId, ConnectionId = _connectionId, ClientId = _clientId, UserId = "u",
            Platform = PlatformNames.Facebook, Status = status, NextAttemptAt = nextAttemptAt, EnqueuedAt = now, CreatedAt = now, UpdatedAt = now,
        };
        await using var db = Context();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Asks for <paramref name="first"/>'s lease while a transaction holds its row, runs <paramref name="meanwhile"/> (the
    /// asks that queue up behind it), then releases the row.
    /// </summary>
    private Task<Task<LeasedJob?>> LeaseBehindAHeldRowAsync(Guid first, Func<Task> meanwhile) =>
        HeldRow.RunBehindAsync(_connectionString, "SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE", first,
            () => _leases.LeaseAsync(first, "replica-1", CancellationToken.None), meanwhile, Timeout);
}
