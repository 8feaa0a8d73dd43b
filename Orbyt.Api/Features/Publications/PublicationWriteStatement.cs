using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// One publication's write as one statement: the targets' status is checked, the idempotency record (with the response
/// already in it), the publication and its jobs are inserted — or nothing is, if any part does not hold. A concurrent
/// request with the same key is told apart by a transaction-scoped advisory lock on the key, held until the commit.
/// <see cref="PublicationWriter"/> runs several of them in one transaction.
/// </summary>
public static class PublicationWriteStatement
{
    private const string Claimed = """
        WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS got),
        ok AS (
          SELECT count(*) = cardinality($2::uuid[]) AS valid FROM connections
          WHERE id = ANY($2) AND client_id = $3 AND user_id = $4 AND status = 'active'),
        claim AS (
          INSERT INTO idempotency_records (client_id, key, endpoint, request_hash, response_status, response_body, locked_until, created_at, expires_at)
          SELECT $3, $5, $6, $7, 202, $8, NULL, $9, $10 FROM lock, ok WHERE lock.got AND ok.valid
          ON CONFLICT (client_id, key) DO UPDATE
            SET endpoint = EXCLUDED.endpoint, request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                response_body = EXCLUDED.response_body, locked_until = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
            WHERE idempotency_records.expires_at <= $9
          RETURNING 1),
        """;

    /// <summary>Without an Idempotency-Key: the same statement, with no lock and no record (parameters 1, 5–8 and 10 unused).</summary>
    private const string Unclaimed = """
        WITH lock AS (SELECT true AS got),
        ok AS (
          SELECT count(*) = cardinality($2::uuid[]) AS valid FROM connections
          WHERE id = ANY($2) AND client_id = $3 AND user_id = $4 AND status = 'active'),
        claim AS (SELECT 1 FROM ok WHERE ok.valid),
        """;

    private const string Effect = """
        pub AS (
          INSERT INTO publications (id, client_id, user_id, media_type, media_url, media_url_sealed, caption, title, options, callback_url, client_reference, created_at)
          SELECT $11, $3, $4, $12, $13, $22, $14, $15, $16, $17, $18, $9 FROM claim
          RETURNING id),
        inserted AS (
          INSERT INTO jobs (id, publication_id, connection_id, client_id, user_id, platform, status, attempts, next_attempt_at, enqueued_at,
                            publish_at, preflight_at, trace_parent, created_at, updated_at)
          SELECT t.id, pub.id, t.connection_id, $3, $4, t.platform, t.status, 0, t.next_attempt_at, t.enqueued_at, t.publish_at, t.preflight_at, $19, $9, $9
          FROM pub CROSS JOIN unnest($20::uuid[], $2::uuid[], $21::text[], $23::text[], $24::timestamptz[], $25::timestamptz[], $26::timestamptz[], $27::timestamptz[])
            AS t(id, connection_id, platform, status, next_attempt_at, enqueued_at, publish_at, preflight_at)
          RETURNING 1)
        SELECT (SELECT got FROM lock), (SELECT valid FROM ok), (SELECT count(*)::int FROM inserted)
        """;

    private const string ClaimedSql = Claimed + Effect;
    private const string UnclaimedSql = Unclaimed + Effect;

    public static string Sql(IdempotencyClaim? claim) => claim is null ? UnclaimedSql : ClaimedSql;

    /// <summary>The statement's parameters, in order ($1–$27); <paramref name="lockKey"/> is the claim's <see cref="LockKey"/> (unused without one).</summary>
    public static void AddParameters(NpgsqlParameterCollection p, Publication publication, string responseJson, IdempotencyClaim? claim, long lockKey)
    {
        var jobs = publication.Jobs;
        p.Add(new NpgsqlParameter<long> { TypedValue = lockKey });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = jobs.Select(j => j.ConnectionId).ToArray() });
        p.Add(new NpgsqlParameter<Guid> { TypedValue = publication.ClientId });
        p.Add(new NpgsqlParameter<string> { TypedValue = publication.UserId });
        p.Add(Text(claim?.Key));
        p.Add(Text(claim?.Endpoint));
        p.Add(new NpgsqlParameter { Value = (object?)claim?.RequestHash ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(Text(claim is null ? null : responseJson));
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = publication.CreatedAt });
        p.Add(new NpgsqlParameter { Value = claim is null ? DBNull.Value : publication.CreatedAt + IdempotencyStore.Retention, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter<Guid> { TypedValue = publication.Id });
        p.Add(Text(publication.MediaType));
        p.Add(Text(publication.MediaUrl));
        p.Add(Text(publication.Caption));
        p.Add(Text(publication.Title));
        p.Add(new NpgsqlParameter { Value = (object?)publication.Options?.RootElement.GetRawText() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        p.Add(Text(publication.CallbackUrl));
        p.Add(Text(publication.ClientReference));
        p.Add(Text(jobs.FirstOrDefault()?.TraceParent));
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = jobs.Select(j => j.Id).ToArray() });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = jobs.Select(j => j.Platform).ToArray() });
        p.Add(new NpgsqlParameter { Value = (object?)publication.MediaUrlSealed ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        // Per job: a scheduled job waits for its release time and has no stream entry yet.
        p.Add(new NpgsqlParameter<string[]> { TypedValue = jobs.Select(j => j.Status).ToArray() });
        p.Add(Times(jobs.Select(j => j.NextAttemptAt)));
        p.Add(Times(jobs.Select(j => j.EnqueuedAt)));
        p.Add(Times(jobs.Select(j => j.PublishAt)));
        p.Add(Times(jobs.Select(j => j.PreflightAt)));
    }

    /// <summary>The statement's one row: whether the key's lock was free, whether every target was active, and how many jobs went in.</summary>
    public static PublicationWriteResult Read(NpgsqlDataReader reader, int jobs)
    {
        var (got, valid, inserted) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetInt32(2));
        return !got ? PublicationWriteResult.KeyInUse
            : !valid ? PublicationWriteResult.ConnectionsNotActive
            : inserted == jobs ? PublicationWriteResult.Written
            : PublicationWriteResult.KeyExists;
    }

    private static NpgsqlParameter Times(IEnumerable<DateTimeOffset?> values) =>
        new() { Value = values.Select(v => v?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>The advisory lock for one client's key (64 bits of its SHA-256; a collision only makes a retry wait).</summary>
    public static long LockKey(Guid clientId, string key) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"idempotency:{clientId:N}:{key}")));
}
