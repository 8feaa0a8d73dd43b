using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Caches <see cref="ConnectionFact"/>s, which are fixed for a connection's life (a reconnect updates the same row
/// for the same client, user, platform and account). A connection's status is not cached: the publication's write
/// checks it in the same statement.
/// </summary>
public sealed class ConnectionFacts(IMemoryCache cache)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(10);

    /// <summary>The facts of those <paramref name="ids"/> that belong to this client's user; the others are missing.</summary>
    public async Task<Dictionary<Guid, ConnectionFact>> GetAsync(OrbytDbContext db, Guid clientId, string userId, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var found = new Dictionary<Guid, ConnectionFact>();
        var missing = new List<Guid>();
        foreach (var id in ids)
        {
            if (cache.TryGetValue(CacheKey(id), out ConnectionFact? fact)) found[id] = fact!;
            else missing.Add(id);
        }
        if (missing.Count > 0)
        {
            var loaded = await db.Connections.AsNoTracking().Where(c => missing.Contains(c.Id) && c.ClientId == clientId)
                .Select(c => new ConnectionFact(c.Id, c.ClientId, c.UserId, c.Platform)).ToListAsync(ct);
            foreach (var fact in loaded)
            {
                cache.Set(CacheKey(fact.Id), fact, new MemoryCacheEntryOptions { SlidingExpiration = Keep });
                found[fact.Id] = fact;
            }
        }
        // Another client's or another user's connection is reported exactly like one that does not exist.
        foreach (var (id, fact) in found.ToList())
        {
            if (fact.ClientId != clientId || fact.UserId != userId) found.Remove(id);
        }
        return found;
    }

    private static string CacheKey(Guid id) => "connection-fact:" + id;
}
