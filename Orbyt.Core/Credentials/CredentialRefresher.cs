using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Vault;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Core.Credentials;

/// <summary>
/// The refresh both processes run: on demand for the Uploader (<see cref="RefreshAsync"/>, through
/// <see cref="ConnectionTokens"/>), and as the building blocks of the token refresher's scheduled checks. Work happens
/// under a row lock (<c>SELECT … FOR UPDATE</c>, <see cref="LockAsync"/>), re-reading the credential after the lock is
/// taken: any number of refresher replicas and on-demand refreshes make at most one platform call per credential at a
/// time, and a caller that waited on the lock sees what its predecessor stored (Nango's lock-then-re-read).
/// Failures are classified (<see cref="RefreshFailure"/>): a definitive one marks every connection of the grant
/// reauth_required, fails its queued jobs and records <c>connection.reauth_required</c>; a transient one is counted and
/// retried with backoff, never flagged by itself.
/// </summary>
public sealed partial class CredentialRefresher(
    OrbytDbContext db,
    ITokenVault vault,
    GoogleOAuthClient google,
    IOptions<TokenRefreshOptions> options,
    CredentialTelemetry telemetry,
    TimeProvider time,
    ILogger<CredentialRefresher> logger)
{
    private TokenRefreshOptions Options => options.Value;

    /// <summary>
    /// On demand (a worker about to publish): makes sure a Google access token is valid for at least
    /// <paramref name="margin"/>, refreshing it if needed. Throws <see cref="ConnectionUnusableException"/> when it cannot.
    /// </summary>
    public async Task<Credential> RefreshAsync(Guid credentialId, TimeSpan margin, CancellationToken ct)
    {
        using var activity = CredentialTelemetry.Source.StartActivity("Refresh credential on demand");
        activity?.SetTag("orbyt.credential_id", credentialId);
        var strategy = db.Database.CreateExecutionStrategy();
        var (credential, failure) = await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var credential = await LockAsync(credentialId, ct)
                ?? throw new ConnectionUnusableException(ErrorCatalog.ConnectionRevoked, "The credential no longer exists.");
            activity?.SetTag("orbyt.credential_kind", credential.Kind);
            var now = time.GetUtcNow();

            if (credential.InvalidatedAt is not null)
                throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, credential.LastError ?? "The grant no longer works.");
            if (credential.AccessTokenExpiresAt is { } expires && expires - now >= margin)
            {
                // Someone refreshed it while we waited for the lock.
                await tx.CommitAsync(ct);
                activity?.SetTag("orbyt.refresh", "already_fresh");
                return (credential, (RefreshFailure?)null);
            }
            if (credential.Kind != CredentialKinds.Google || credential.RefreshTokenCiphertext is null)
                throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, "This grant cannot be refreshed; the user must reconnect.");

            var failure = await RefreshGoogleAsync(credential, now, ct);
            if (failure is null) telemetry.Refreshed(credential.Kind, "refreshed");
            else await RecordFailureAsync(credential, failure, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            activity?.SetTag("orbyt.refresh", failure is null ? "refreshed" : failure.Class.ToString().ToLowerInvariant());
            return (credential, failure);
        });

        return failure switch
        {
            null => credential,
            { Class: RefreshFailureClass.Definitive } => throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired,
                $"The platform reports the grant as unusable ({failure.Reason})."),
            _ => throw new ConnectionUnusableException(ErrorCatalog.PlatformUnavailable, "The token could not be refreshed right now; it will be retried."),
        };
    }

    /// <summary>Locks the credential row until the caller's transaction ends and reads it as it is now (null: deleted).</summary>
    public Task<Credential?> LockAsync(Guid credentialId, CancellationToken ct) =>
        db.Credentials.FromSql($"SELECT * FROM credentials WHERE id = {credentialId} FOR UPDATE").SingleOrDefaultAsync(ct);

    // ---- Google ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Exchanges the refresh token of a locked Google credential for a new access token and stores it, with the next
    /// grant check; the caller saves. Returns the classified failure instead of throwing it.
    /// </summary>
    public async Task<RefreshFailure?> RefreshGoogleAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var tokens = await google.RefreshAsync(vault.Unprotect(credential.RefreshTokenCiphertext!, VaultPurposes.RefreshToken), ct);
            credential.AccessTokenCiphertext = vault.Protect(tokens.AccessToken, VaultPurposes.AccessToken);
            if (tokens.RefreshToken is not null)
                credential.RefreshTokenCiphertext = vault.Protect(tokens.RefreshToken, VaultPurposes.RefreshToken);
            if (tokens.RefreshTokenExpiresIn is { } grantSeconds)
                credential.GrantExpiresAt = now.AddSeconds(grantSeconds);
            credential.AccessTokenExpiresAt = now.AddSeconds(tokens.ExpiresIn ?? 3599);
            credential.LastRefreshedAt = now;
            credential.LastCheckedAt = now;
            credential.ConsecutiveFailures = 0;
            credential.FailingSince = null;
            credential.LastError = null;
            credential.UpdatedAt = now;
            credential.NextCheckAt = NextGoogleCheck(credential, now);
            LogRefreshed(logger, credential.Id, credential.Kind);
            return null;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && RefreshFailure.Classify(ex) is { } failure)
        {
            return failure;
        }
    }

    /// <summary>
    /// The next grant check (every <see cref="TokenRefreshOptions.GoogleGrantCheck"/>, earlier to warn before the grant
    /// lapses); the refresher's scheduling pass pulls it forward for jobs that need the token sooner.
    /// </summary>
    public DateTimeOffset NextGoogleCheck(Credential credential, DateTimeOffset now)
    {
        var next = (credential.LastRefreshedAt ?? now) + Options.GoogleGrantCheck;
        if (credential.GrantExpiresAt is { } grantExpires && grantExpires - Options.ExpiringNotice > now && grantExpires - Options.ExpiringNotice < next)
            next = grantExpires - Options.ExpiringNotice;
        return next > now ? next : now + TimeSpan.FromMinutes(1);
    }

    // ---- Failures -------------------------------------------------------------------------------------------------

    /// <summary>
    /// A failed refresh or check of a locked credential: a definitive failure marks the grant dead
    /// (<see cref="MarkReauthRequiredAsync"/>); any other backs off and escalates once it has lasted
    /// <see cref="TokenRefreshOptions.EscalateAfter"/>. The caller saves.
    /// </summary>
    public async Task RecordFailureAsync(Credential credential, RefreshFailure failure, DateTimeOffset now, CancellationToken ct)
    {
        telemetry.Failed(credential.Kind, failure);
        if (failure.Class == RefreshFailureClass.Definitive)
        {
            await MarkReauthRequiredAsync(credential, failure.Reason, now, ct);
            return;
        }
        credential.ConsecutiveFailures++;
        credential.FailingSince ??= now;
        credential.LastError = $"{failure.Class.ToString().ToLowerInvariant()}: {failure.Reason} ({failure.Detail})";
        credential.NextCheckAt = now + Options.Backoff.Delay(credential.ConsecutiveFailures, Random.Shared.NextDouble());
        credential.UpdatedAt = now;
        var failingFor = now - credential.FailingSince.Value;
        if (failingFor >= Options.EscalateAfter)
        {
            telemetry.Escalated(credential.Kind, failure.Reason);
            LogEscalated(logger, credential.Id, credential.Kind, failure.Reason, failingFor.TotalHours, credential.ConsecutiveFailures);
        }
        else
        {
            LogTransient(logger, credential.Id, failure.Class.ToString().ToLowerInvariant(), failure.Reason, credential.ConsecutiveFailures);
        }
    }

    /// <summary>
    /// Marks the grant dead: the credential and the Page tokens derived from it stop being checked, every active
    /// connection using them becomes reauth_required with <paramref name="reason"/> and gets a
    /// <c>connection.reauth_required</c> event, and their queued jobs fail with <c>reauth_required</c> instead of being attempted.
    /// </summary>
    public async Task MarkReauthRequiredAsync(Credential credential, string reason, DateTimeOffset now, CancellationToken ct)
    {
        // The jobs' publications are locked below: that needs the caller's transaction (the one that holds the credential).
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("MarkReauthRequiredAsync runs inside the caller's transaction.");
        var (connections, credentials) = await GrantConnectionsAsync(credential, ct);
        foreach (var dead in credentials.Values)
        {
            dead.InvalidatedAt ??= now;
            dead.LastError = reason;
            dead.NextCheckAt = null;
            dead.UpdatedAt = now;
        }

        var flagged = connections.Where(c => c.Status == ConnectionStatuses.Active).ToList();
        foreach (var connection in flagged)
        {
            connection.Status = ConnectionStatuses.ReauthRequired;
            connection.ReauthReason = reason;
            connection.UpdatedAt = now;
            WebhookOutbox.Add(db, connection.ClientId, WebhookEventTypes.ConnectionReauthRequired,
                ConnectionEventData.From(connection, credentials.GetValueOrDefault(connection.CredentialId!.Value)), now);
        }

        var jobs = flagged.Count > 0 ? await FailQueuedJobsAsync(flagged.Select(c => c.Id).ToArray(), reason, now, ct) : 0;
        await db.SaveChangesAsync(ct);
        telemetry.ReauthRequired(flagged.Count, reason);
        LogReauthRequired(logger, credential.Id, flagged.Count, jobs, reason);
    }

    /// <summary>
    /// Fails the queued jobs of <paramref name="connectionIds"/> as a finished job fails anywhere else: each with its
    /// <c>job.failed</c> event, and its publication completed (with <c>publication.completed</c>) when that was its last
    /// open job. The publications are locked first, as the Uploader's terminal save and the API's cancel lock them, then
    /// the queued rows (a replica leasing one of them now waits, then finds it failed). Nothing is saved here.
    /// </summary>
    private async Task<int> FailQueuedJobsAsync(Guid[] connectionIds, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var publicationIds = await db.Jobs.Where(j => connectionIds.Contains(j.ConnectionId) && j.Status == JobStatuses.Queued)
            .Select(j => j.PublicationId).Distinct().OrderBy(id => id).ToArrayAsync(ct);
        if (publicationIds.Length == 0) return 0;
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM publications WHERE id = ANY({publicationIds}) ORDER BY id FOR UPDATE", ct);
        var failing = await db.Jobs.FromSql($"SELECT *, xmin FROM jobs WHERE connection_id = ANY({connectionIds}) AND status = 'queued' ORDER BY id FOR UPDATE")
            .ToListAsync(ct);
        if (failing.Count == 0) return 0;

        var error = JobError.From(ErrorCatalog.ReauthRequired, message: $"The account must be reconnected ({reason}); the job was not attempted.").ToJson();
        foreach (var job in failing)
        {
            job.Status = JobStatuses.Failed;
            job.Error = error;
            job.NextAttemptAt = null;
            job.CompletedAt = now;
            job.UpdatedAt = now;
            // Set here, not on save: the events below carry the number this save stores.
            job.Sequence++;
        }

        var affected = failing.Select(j => j.PublicationId).Distinct().ToArray();
        var publications = await db.Publications.Where(p => affected.Contains(p.Id)).ToListAsync(ct);
        var failingIds = failing.Select(j => j.Id).ToHashSet();
        var others = (await db.Jobs.AsNoTracking().Where(j => affected.Contains(j.PublicationId)).ToListAsync(ct))
            .Where(j => !failingIds.Contains(j.Id)).ToLookup(j => j.PublicationId);
        var clientIds = failing.Select(j => j.ClientId).Distinct().ToArray();
        var listening = (await db.WebhookEndpoints.Where(e => clientIds.Contains(e.ClientId) && e.Enabled).Select(e => e.ClientId).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var publication in publications)
        {
            var notify = publication.CallbackUrl is { Length: > 0 } || listening.Contains(publication.ClientId);
            var mine = failing.Where(j => j.PublicationId == publication.Id).ToList();
            if (notify)
            {
                foreach (var job in mine)
                    WebhookOutbox.Add(db, job.ClientId, WebhookEventTypes.JobFailed, new JobEventData(JobResponse.From(job), publication.Id), now, publication.CallbackUrl);
            }
            if (publication.CompletedAt is null)
                PublicationCompletion.Record(db, publication, mine[^1], [.. others[publication.Id], .. mine.Take(mine.Count - 1)], notify, now);
        }
        return failing.Count;
    }

    /// <summary>The credential, the Page tokens derived from it, and every connection that publishes with one of them (all tracked).</summary>
    public async Task<(List<Connection> Connections, Dictionary<Guid, Credential> Credentials)> GrantConnectionsAsync(Credential credential, CancellationToken ct)
    {
        var credentials = new Dictionary<Guid, Credential> { [credential.Id] = credential };
        foreach (var child in await db.Credentials.Where(c => c.ParentCredentialId == credential.Id).ToListAsync(ct))
            credentials[child.Id] = child;
        var ids = credentials.Keys.ToArray();
        var connections = await db.Connections.Where(c => c.CredentialId != null && ids.Contains(c.CredentialId.Value)).ToListAsync(ct);
        return (connections, credentials);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId} ({Kind}) refreshed.")]
    private static partial void LogRefreshed(ILogger logger, Guid credentialId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {CredentialId} check failed ({FailureClass}: {Reason}, {Failures} in a row); retrying with backoff.")]
    private static partial void LogTransient(ILogger logger, Guid credentialId, string failureClass, string reason, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Credential {CredentialId} ({Kind}) has been failing for {Hours:F0} h ({Reason}, {Failures} in a row); its grant may be dead or the platform unreachable.")]
    private static partial void LogEscalated(ILogger logger, Guid credentialId, string kind, string reason, double hours, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {CredentialId} is dead ({Reason}); {Connections} connections need the user to reconnect, {Jobs} queued jobs failed.")]
    private static partial void LogReauthRequired(ILogger logger, Guid credentialId, int connections, int jobs, string reason);
}
