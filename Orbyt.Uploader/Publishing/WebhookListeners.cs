using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Whether a client has an enabled webhook endpoint, as a long step asks it again before it skips a finished job's events
/// (docs/webhooks.md). One look at the database per client per <see cref="Freshness"/> and replica: a replica finishing
/// hundreds of long steps a second for a client without endpoints asked PostgreSQL the same question for each of them
/// (docs/benchmarks.md, issue 20). An endpoint enabled within the last <see cref="Freshness"/> may be missed, the same
/// lag a step shorter than that has by never asking again.
/// </summary>
public sealed class WebhookListeners(TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private static readonly Func<OrbytDbContext, Guid, CancellationToken, Task<bool>> HasEnabledEndpoint = EF.CompileAsyncQuery(
        (OrbytDbContext db, Guid clientId, CancellationToken ct) => db.WebhookEndpoints.Any(e => e.ClientId == clientId && e.Enabled));

    private readonly ConcurrentDictionary<Guid, (DateTimeOffset CheckedAt, bool Listening)> _seen = new();

    public async Task<bool> AnyAsync(OrbytDbContext db, Guid clientId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_seen.TryGetValue(clientId, out var seen) && now - seen.CheckedAt <= Freshness)
            return seen.Listening;
        var listening = await HasEnabledEndpoint(db, clientId, ct);
        _seen[clientId] = (now, listening);
        return listening;
    }
}
