using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Orbyt.Api.Problems;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Stripe's semantics: the same key with the same body replays the first response; a different body is
/// idempotency_key_reused; a request arriving while the first is being written is idempotency_key_in_use. Keys are
/// kept 24 h. The record is written by <see cref="PublicationWriteStatement"/> in the same statement as the publication,
/// with the response already in it, so there is no window in which a key is claimed but its effect is not
/// committed; this class answers for keys that already have a record.
/// </summary>
public sealed class IdempotencyStore(OrbytDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public static IdempotencyClaim Claim(string key, string endpoint, byte[] body)
    {
        if (key.Length is 0 or > 255 || key.Any(c => c < 0x21 || c > 0x7e))
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyInvalid);
        return new IdempotencyClaim(key, endpoint, SHA256.HashData(body));
    }

    /// <summary>
    /// The key's live record: its response to replay, or a problem (a different request, or one still in flight).
    /// Null when there is no live record after all (expired, or left without a response by a request that died under
    /// the two-step protocol of earlier versions, which is removed here): the caller writes again.
    /// </summary>
    public async Task<IdempotentReplay?> ExistingAsync(Guid clientId, IdempotencyClaim claim, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var record = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ClientId == clientId && r.Key == claim.Key, ct);
        if (record is null || record.ExpiresAt <= now)
            return null;
        if (record.Endpoint != claim.Endpoint || !record.RequestHash.AsSpan().SequenceEqual(claim.RequestHash))
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyReused, "This Idempotency-Key was first used with a different request.");
        if (record.ResponseStatus is { } status)
            return new IdempotentReplay(status, record.ResponseBody ?? "");
        if (record.LockedUntil > now)
            throw new ApiProblemException(ErrorCatalog.IdempotencyKeyInUse);
        await db.IdempotencyRecords.Where(r => r.ClientId == clientId && r.Key == claim.Key && r.ResponseStatus == null && r.LockedUntil == record.LockedUntil)
            .ExecuteDeleteAsync(ct);
        return null;
    }
}
