using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Api.Features.Publications;
using Orbyt.Core.Data;

namespace Orbyt.IntegrationTests.Api;

/// <summary>
/// Issue 20: the API commits concurrent publication writes together (<see cref="PublicationWriter"/>), and each write
/// still answers for itself. A throw-away database on the AppHost's PostgreSQL (migrated like production) and the API's
/// own writer: the first write is held on a row lock the test takes on the target connection (its jobs' foreign-key
/// check waits for it), so the writes sent meanwhile queue up and go as one batch when the lock is released.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PublicationGroupCommitTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _database = $"orbyt_writes_{Guid.NewGuid():N}"[..29];
    private readonly Guid _clientId = Guid.NewGuid();
    private readonly Guid _active = Guid.NewGuid();
    private readonly Guid _revoked = Guid.NewGuid();
    private string _connectionString = null!;
    private ServiceProvider _services = null!;
    private PublicationWriter _writer = null!;
    private BatchSpans _batches = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateThrowAwayAsync(fixture, _database);
        await using (var db = Context())
        {
            var now = DateTimeOffset.UtcNow;
            db.AddRange(
                new ApiClient { Id = _clientId, Name = "group-commit", CreatedAt = now },
                new Connection { Id = _active, ClientId = _clientId, UserId = "u", Platform = PlatformNames.Facebook, AccountId = "page-1", ConnectedAt = now, UpdatedAt = now },
                new Connection { Id = _revoked, ClientId = _clientId, UserId = "u", Platform = PlatformNames.Facebook, AccountId = "page-2", Status = ConnectionStatuses.Revoked, ConnectedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        }

        // Only this test's writer makes these spans in the test process (the deployed API is a process of its own).
        _batches = new BatchSpans("publication write batch", PublicationWriter.BatchSizeTag, PublicationWriter.SourceName);
        _services = new ServiceCollection()
            .AddDbContext<OrbytDbContext>(o => o.UseNpgsql(_connectionString).UseSnakeCaseNamingConvention())
            .BuildServiceProvider();
        _writer = new PublicationWriter(_services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new PublicationWriteOptions { Writers = 1, MaxBatch = 32 }), NullLogger<PublicationWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None);
        _batches.Dispose();
        await _services.DisposeAsync();
        await TestDatabase.DropAsync(fixture, _database);
    }

    [Fact]
    public async Task Writes_that_wait_together_commit_as_one_batch_and_each_gets_its_own_outcome()
    {
        var first = NewPublication(_active);
        var keyed = NewPublication(_active);
        var sameKey = NewPublication(_active);
        var inactive = NewPublication(_revoked);
        var plain = NewPublication(_active);
        var abandoned = NewPublication(_active);
        var claim = new IdempotencyClaim("key-1", "POST /v1/publications", new byte[32]);
        using var gone = new CancellationTokenSource();

        Task<PublicationWriteResult> keyedWrite = null!, sameKeyWrite = null!, inactiveWrite = null!, plainWrite = null!;
        var firstWrite = await WriteBehindAHeldRowAsync(first, async () =>
        {
            keyedWrite = _writer.WriteAsync(keyed, "{\"first\":true}", claim, CancellationToken.None);
            sameKeyWrite = _writer.WriteAsync(sameKey, "{}", claim, CancellationToken.None);
            inactiveWrite = _writer.WriteAsync(inactive, "{}", null, CancellationToken.None);
            plainWrite = _writer.WriteAsync(plain, "{}", null, CancellationToken.None);
            var abandonedWrite = _writer.WriteAsync(abandoned, "{}", null, gone.Token);
            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandonedWrite);
        });

        Assert.Equal(PublicationWriteResult.Written, await firstWrite.WaitAsync(Timeout));
        Assert.Equal(PublicationWriteResult.Written, await keyedWrite.WaitAsync(Timeout));
        Assert.Equal(PublicationWriteResult.ConnectionsNotActive, await inactiveWrite.WaitAsync(Timeout));
        Assert.Equal(PublicationWriteResult.Written, await plainWrite.WaitAsync(Timeout));
        // The same key never shares a batch: it went in the next one and found the first request's record.
        Assert.Equal(PublicationWriteResult.KeyExists, await sameKeyWrite.WaitAsync(Timeout));
        Assert.Equal([1, 3, 1], _batches.Sizes());

        Assert.Equal(new[] { first.Id, keyed.Id, plain.Id }.Order(), (await PublicationIdsAsync()).Order());
        await using var db = Context();
        Assert.Equal(3, await db.Jobs.CountAsync(j => j.ClientId == _clientId));
        var record = await db.IdempotencyRecords.SingleAsync(r => r.ClientId == _clientId && r.Key == "key-1");
        Assert.Equal("{\"first\":true}", record.ResponseBody);
    }

    [Fact]
    public async Task A_write_postgresql_refuses_fails_alone_and_the_rest_of_its_batch_is_written()
    {
        var before = NewPublication(_active);
        var good = NewPublication(_active);
        var broken = NewPublication(_active);
        // A job without a platform breaks jobs.platform NOT NULL: the statement fails, and with it the batch's transaction.
        broken.Jobs[0].Platform = null!;
        var alsoGood = NewPublication(_active);

        Task<PublicationWriteResult> goodWrite = null!, brokenWrite = null!, alsoGoodWrite = null!;
        var beforeWrite = await WriteBehindAHeldRowAsync(before, () =>
        {
            goodWrite = _writer.WriteAsync(good, "{}", null, CancellationToken.None);
            brokenWrite = _writer.WriteAsync(broken, "{}", null, CancellationToken.None);
            alsoGoodWrite = _writer.WriteAsync(alsoGood, "{}", null, CancellationToken.None);
            return Task.CompletedTask;
        });

        Assert.Equal(PublicationWriteResult.Written, await beforeWrite.WaitAsync(Timeout));
        Assert.Equal(PublicationWriteResult.Written, await goodWrite.WaitAsync(Timeout));
        Assert.Equal(PublicationWriteResult.Written, await alsoGoodWrite.WaitAsync(Timeout));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => brokenWrite.WaitAsync(Timeout));
        Assert.Equal(PostgresErrorCodes.NotNullViolation, refused.SqlState);
        // The batch of three was refused as a whole, then each write went alone.
        Assert.Equal([1, 3, 1, 1, 1], _batches.Sizes());
        Assert.Equal(new[] { before.Id, good.Id, alsoGood.Id }.Order(), (await PublicationIdsAsync()).Order());
    }

    private OrbytDbContext Context() =>
        new(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(_connectionString).UseSnakeCaseNamingConvention().Options);

    private Publication NewPublication(Guid connectionId)
    {
        var now = DateTimeOffset.UtcNow;
        var publication = new Publication
        {
            Id = Guid.CreateVersion7(now), ClientId = _clientId, UserId = "u", MediaType = MediaTypes.Image,
            MediaUrl = "https://stream.mux.com/group-commit/image.jpg", CreatedAt = now,
        };
        publication.Jobs.Add(new Job
        {
            Id = Guid.CreateVersion7(now), PublicationId = publication.Id, ConnectionId = connectionId, ClientId = _clientId, UserId = "u",
            Platform = PlatformNames.Facebook, Status = JobStatuses.Queued, NextAttemptAt = now, EnqueuedAt = now, CreatedAt = now, UpdatedAt = now,
        });
        return publication;
    }

    /// <summary>
    /// Sends <paramref name="first"/> while a transaction holds the active connection's row (the jobs' foreign-key check
    /// waits for it), runs <paramref name="meanwhile"/> (the writes that queue up behind it), then releases the row.
    /// </summary>
    private Task<Task<PublicationWriteResult>> WriteBehindAHeldRowAsync(Publication first, Func<Task> meanwhile) =>
        HeldRow.RunBehindAsync(_connectionString, "SELECT 1 FROM connections WHERE id = $1 FOR UPDATE", _active,
            () => _writer.WriteAsync(first, "{}", null, CancellationToken.None), meanwhile, Timeout);

    private async Task<Guid[]> PublicationIdsAsync()
    {
        await using var db = Context();
        return await db.Publications.Where(p => p.ClientId == _clientId).Select(p => p.Id).ToArrayAsync();
    }
}
