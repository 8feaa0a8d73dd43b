using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Orbyt.Api.Problems;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Publications;

/// <summary>What to do with a request carrying an Idempotency-Key.</summary>
public abstract record IdempotencyDecision
{
    /// <summary>First time: go ahead, and complete <see cref="Record"/> in the same transaction as the effect.</summary>
    public sealed record Proceed(IdempotencyRecord Record) : IdempotencyDecision;
    /// <summary>Seen and finished: answer exactly what was answered the first time.</summary>
    public sealed record Replay(int Status, string Body) : IdempotencyDecision;
}

/// <summary>
/// Stripe's semantics: the same key with the same body replays the first response; a different body is
/// idempotency_key_reused; a concurrent duplicate is idempotency_key_in_use. Keys are kept 24 h. The record is
/// claimed with an insert before the work and completed in the work's own transaction, so a crash in between
/// leaves no publication and the lock simply expires.
/// </summary>
public sealed class IdempotencyStore(OrbytDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    public static void ValidateKey(string key)
    {
        if (key.Length is 0 or > 255 || key.Any(c => c < 0x21 || c > 0x7e))
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyInvalid);
    }

    public async Task<IdempotencyDecision> BeginAsync(Guid clientId, string key, string endpoint, byte[] body, CancellationToken ct)
    {
        ValidateKey(key);
        var hash = SHA256.HashData(body);
        var now = time.GetUtcNow();
        // One round trip: the claim returns the row when this request owns the key (fresh, or an expired record
        // replaced). The claim commits without waiting for its WAL flush (synchronous_commit off, for this statement's
        // transaction only): it is a lock, not an effect — the publication's own commit flushes the WAL up to and past
        // it, and a claim lost in a crash only means the retried request claims the key again.
        var claimed = await db.IdempotencyRecords.FromSql($"""
            INSERT INTO idempotency_records (client_id, key, endpoint, request_hash, locked_until, created_at, expires_at)
            SELECT {clientId}, {key}, {endpoint}, {hash}, {now + LockTimeout}, {now}, {now + Retention}
            FROM (SELECT set_config('synchronous_commit', 'off', true)) AS claim_commit
            ON CONFLICT (client_id, key) DO UPDATE
              SET endpoint = EXCLUDED.endpoint, request_hash = EXCLUDED.request_hash, locked_until = EXCLUDED.locked_until,
                  created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, response_status = NULL, response_body = NULL
              WHERE idempotency_records.expires_at <= {now}
            RETURNING *
            """).ToListAsync(ct);
        if (claimed.Count == 1)
            return new IdempotencyDecision.Proceed(claimed[0]);

        var record = await db.IdempotencyRecords.SingleAsync(r => r.ClientId == clientId && r.Key == key, ct);
        if (record.Endpoint != endpoint || !record.RequestHash.AsSpan().SequenceEqual(hash))
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyReused, "This Idempotency-Key was first used with a different request.");
        if (record.ResponseStatus is { } status)
            return new IdempotencyDecision.Replay(status, record.ResponseBody ?? "");
        if (record.LockedUntil > now)
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyInUse);

        // The first request died without completing (its lock expired): take over, if nobody else just did.
        var taken = await db.IdempotencyRecords
            .Where(r => r.ClientId == clientId && r.Key == key && r.ResponseStatus == null && r.LockedUntil == record.LockedUntil)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, now + LockTimeout), ct);
        if (taken == 0)
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyInUse);
        await db.Entry(record).ReloadAsync(ct);
        return new IdempotencyDecision.Proceed(record);
    }

    /// <summary>Stores the response; saved by the caller's SaveChanges together with the effect.</summary>
    public static void Complete(IdempotencyRecord record, int status, string body)
    {
        record.ResponseStatus = status;
        record.ResponseBody = body;
        record.LockedUntil = null;
    }

    /// <summary>The work failed with a problem before any effect: release the key so a corrected retry can use it.</summary>
    public async Task ReleaseAsync(IdempotencyRecord record, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await db.IdempotencyRecords.Where(r => r.ClientId == record.ClientId && r.Key == record.Key && r.ResponseStatus == null)
            .ExecuteDeleteAsync(ct);
    }

    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
