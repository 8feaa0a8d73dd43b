using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orbyt.Api.Security;
using Orbyt.Core.Data;

namespace Orbyt.IntegrationTests.Api;

/// <summary>
/// Issue 20: when a key's cached row expires under load, the requests in flight share one read of it instead of each
/// reading it on a connection of its own (the pipeline bench's API phase stalled on 16 such reads at once). The API's
/// own cache against the test database; the first read is held in an interceptor until the others have asked.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ApiKeyCacheTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Concurrent_misses_for_one_key_share_one_database_read()
    {
        var now = DateTimeOffset.UtcNow;
        var client = new ApiClient { Id = Guid.NewGuid(), Name = "key-cache", CreatedAt = now };
        var key = new ApiKey { Id = Guid.NewGuid(), ClientId = client.Id, KeyId = "kc" + Guid.NewGuid().ToString("N")[..14], SecretHash = new byte[32], Name = "k", CreatedAt = now };
        await using (var db = TestDatabase.Open(fixture))
        {
            db.AddRange(client, key);
            await db.SaveChangesAsync();
        }
        using var memory = new MemoryCache(new MemoryCacheOptions());
        var cache = new ApiKeyCache(memory, null!, Options.Create(new ApiKeyCacheOptions()), NullLogger<ApiKeyCache>.Instance);
        var reads = new HeldReads();

        var contexts = Enumerable.Range(0, 12).Select(_ => new OrbytDbContext(new DbContextOptionsBuilder<OrbytDbContext>()
            .UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention().AddInterceptors(reads).Options)).ToArray();
        try
        {
            var first = cache.GetAsync(contexts[0], key.KeyId, CancellationToken.None);
            await reads.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var others = contexts.Skip(1).Select(db => cache.GetAsync(db, key.KeyId, CancellationToken.None)).ToArray();
            Assert.All(others, t => Assert.False(t.IsCompleted));
            reads.Release.SetResult();

            var rows = await Task.WhenAll([first, .. others]).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.All(rows, row => Assert.Equal(client.Id, row!.ClientId));
            Assert.Equal(1, reads.Count);
            // Cached afterwards: no further read.
            Assert.Equal(key.Id, (await cache.GetAsync(contexts[0], key.KeyId, CancellationToken.None))!.Id);
            Assert.Equal(1, reads.Count);
        }
        finally
        {
            foreach (var db in contexts) await db.DisposeAsync();
            await using var cleanup = TestDatabase.Open(fixture);
            await cleanup.ApiClients.Where(c => c.Id == client.Id).ExecuteDeleteAsync();
        }
    }

    /// <summary>Counts the reads of api_keys and holds the first until released.</summary>
    private sealed class HeldReads : DbCommandInterceptor
    {
        private int _count;
        public int Count => _count;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("api_keys", StringComparison.Ordinal) && Interlocked.Increment(ref _count) == 1)
            {
                Started.SetResult();
                await Release.Task;
            }
            return result;
        }
    }
}
