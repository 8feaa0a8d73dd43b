using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Vault;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Core.Credentials;

/// <summary>What one locked pass over a credential did (metric tag <c>outcome</c>).</summary>
public enum RefreshOutcome
{
    /// <summary>Nothing to do: someone else refreshed or holds it, or it is no longer due.</summary>
    Skipped,
    /// <summary>Looked at it (debug_token, or a Google token nobody needs yet) and rescheduled.</summary>
    Checked,
    /// <summary>A new access token was obtained (Google refresh).</summary>
    Refreshed,
    /// <summary>A Meta long-lived user token was exchanged for a new one.</summary>
    Reexchanged,
    Failed,
}

/// <summary>
/// Refreshes and checks one credential under a row lock (<c>SELECT … FOR UPDATE</c>), re-reading it after the lock is
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
    MetaGraphClient meta,
    IOptions<TokenRefreshOptions> options,
    TokenRefresherTelemetry telemetry,
    TimeProvider time,
    ILogger<CredentialRefresher> logger)
{
    /// <summary>Kept for callers of the earlier API; the refresher's one ActivitySource.</summary>
    public static ActivitySource Source => TokenRefresherTelemetry.Source;

    private TokenRefreshOptions Options => options.Value;

    /// <summary>
    /// On demand (a worker about to publish): makes sure a Google access token is valid for at least
    /// <paramref name="margin"/>, refreshing it if needed. Throws <see cref="ConnectionUnusableException"/> when it cannot.
    /// </summary>
    public async Task<Credential> RefreshAsync(Guid credentialId, TimeSpan margin, CancellationToken ct)
    {
        using var activity = Source.StartActivity("Refresh credential on demand");
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

    /// <summary>
    /// The scheduled check of a credential claimed by <paramref name="leaseOwner"/>: refreshes, re-exchanges, inspects
    /// or reschedules it according to its kind, then releases the lease. Never throws for platform failures.
    /// </summary>
    public async Task<RefreshOutcome> CheckAsync(Guid credentialId, string leaseOwner, CancellationToken ct)
    {
        using var activity = Source.StartActivity("Check credential");
        activity?.SetTag("orbyt.credential_id", credentialId);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var credential = await LockAsync(credentialId, ct);
            if (credential is null)
            {
                await tx.CommitAsync(ct);
                return RefreshOutcome.Skipped;
            }
            activity?.SetTag("orbyt.credential_kind", credential.Kind);
            var now = time.GetUtcNow();
            var ours = credential.LeaseOwner == leaseOwner;

            RefreshOutcome outcome;
            RefreshFailure? failure = null;
            if (credential.InvalidatedAt is not null || credential.NextCheckAt is null || credential.NextCheckAt > now
                || (!ours && credential.LeaseUntil > now))
            {
                // Done by someone else while we waited (an on-demand refresh, a replica whose claim outlived ours).
                outcome = RefreshOutcome.Skipped;
            }
            else
            {
                (outcome, failure) = credential.Kind switch
                {
                    CredentialKinds.Google => await CheckGoogleAsync(credential, now, ct),
                    CredentialKinds.MetaUser or CredentialKinds.MetaPage => await CheckMetaAsync(credential, now, ct),
                    _ => (RefreshOutcome.Checked, null),
                };
                if (failure is not null)
                {
                    outcome = RefreshOutcome.Failed;
                    await RecordFailureAsync(credential, failure, now, ct);
                }
                else
                {
                    credential.LastCheckedAt = now;
                    credential.ConsecutiveFailures = 0;
                    credential.FailingSince = null;
                    credential.LastError = null;
                    telemetry.Refreshed(credential.Kind, outcome.ToString().ToLowerInvariant());
                }
                credential.UpdatedAt = now;
            }
            if (ours)
            {
                credential.LeaseUntil = null;
                credential.LeaseOwner = null;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            activity?.SetTag("orbyt.refresh", outcome.ToString().ToLowerInvariant());
            if (failure is not null) activity?.SetTag("orbyt.failure_class", failure.Class.ToString().ToLowerInvariant()).SetTag("orbyt.failure_reason", failure.Reason);
            return outcome;
        });
    }

    private Task<Credential?> LockAsync(Guid credentialId, CancellationToken ct) =>
        db.Credentials.FromSql($"SELECT * FROM credentials WHERE id = {credentialId} FOR UPDATE").SingleOrDefaultAsync(ct);

    // ---- Google ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Refresh when a job needs the access token soon and it expires within the refresh-ahead window, or when the refresh
    /// token has not been exercised for <see cref="TokenRefreshOptions.GoogleGrantCheck"/> (the refresh is the check).
    /// </summary>
    private async Task<(RefreshOutcome, RefreshFailure?)> CheckGoogleAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        if (credential.RefreshTokenCiphertext is null)
            return (RefreshOutcome.Failed, new RefreshFailure(RefreshFailureClass.Definitive, "no_refresh_token", "no refresh token stored"));
        var accessDue = credential.AccessTokenExpiresAt is not { } expires || expires - now < Options.GoogleRefreshAhead;
        // A minute of slack so a check scheduled exactly at the interval is not pushed by clock jitter.
        var grantDue = credential.LastRefreshedAt is not { } last || now - last >= Options.GoogleGrantCheck - TimeSpan.FromMinutes(1);
        if (grantDue || (accessDue && await JobNeedsCredentialSoonAsync(credential.Id, now, ct)))
        {
            var failure = await RefreshGoogleAsync(credential, now, ct);
            return failure is null ? (RefreshOutcome.Refreshed, null) : (RefreshOutcome.Failed, failure);
        }
        credential.NextCheckAt = NextGoogleCheck(credential, now);
        return (RefreshOutcome.Checked, null);
    }

    private async Task<RefreshFailure?> RefreshGoogleAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
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

    /// <summary>The next grant check; jobs that need the token earlier pull it forward (<see cref="RefreshScheduler"/>).</summary>
    private DateTimeOffset NextGoogleCheck(Credential credential, DateTimeOffset now)
    {
        var next = (credential.LastRefreshedAt ?? now) + Options.GoogleGrantCheck;
        if (credential.GrantExpiresAt is { } grantExpires && grantExpires - Options.ExpiringNotice > now && grantExpires - Options.ExpiringNotice < next)
            next = grantExpires - Options.ExpiringNotice;
        return next > now ? next : now + TimeSpan.FromMinutes(1);
    }

    private Task<bool> JobNeedsCredentialSoonAsync(Guid credentialId, DateTimeOffset now, CancellationToken ct)
    {
        var horizon = now + Options.JobLookahead;
        return db.Jobs.AnyAsync(j => (j.Status == JobStatuses.Queued || j.Status == JobStatuses.Processing)
            && (j.NextAttemptAt == null || j.NextAttemptAt <= horizon)
            && db.Connections.Any(c => c.Id == j.ConnectionId && c.CredentialId == credentialId && c.Status == ConnectionStatuses.Active), ct);
    }

    // ---- Meta -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// debug_token on the user or Page token: a dead token is a definitive failure; a live one updates the expiries,
    /// re-exchanges a user token that nears its end, and announces a lapse ahead of time (<c>connection.expiring</c>).
    /// </summary>
    private async Task<(RefreshOutcome, RefreshFailure?)> CheckMetaAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        var token = vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken);
        MetaDebugToken info;
        try
        {
            info = await meta.DebugTokenAsync(token, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && RefreshFailure.Classify(ex, tokenUnderTest: false) is { } failure)
        {
            // The call itself failed: a 190 here is about our app token, not the user's.
            return (RefreshOutcome.Failed, failure);
        }

        if (!info.IsValid)
            return (RefreshOutcome.Failed, info.Error is { } e
                ? RefreshFailure.FromMeta(e.Code, e.Subcode, null, null)
                : new RefreshFailure(RefreshFailureClass.Definitive, "token_invalid", "debug_token is_valid=false"));

        credential.AccessTokenExpiresAt = info.ExpiresAt is > 0 ? DateTimeOffset.FromUnixTimeSeconds(info.ExpiresAt.Value) : null;
        if (info.DataAccessExpiresAt is > 0)
            credential.GrantExpiresAt = DateTimeOffset.FromUnixTimeSeconds(info.DataAccessExpiresAt.Value);
        if (info.Scopes is { Length: > 0 } scopes)
            credential.Scopes = [.. scopes];
        if (credential.GrantExpiresAt is { } dataAccess && dataAccess <= now)
            return (RefreshOutcome.Failed, new RefreshFailure(RefreshFailureClass.Definitive, "data_access_expired", "meta data_access_expires_at passed"));

        var outcome = RefreshOutcome.Checked;
        if (credential.Kind == CredentialKinds.MetaUser
            && credential.AccessTokenExpiresAt is { } userExpires && userExpires - now < Options.MetaReexchangeWithin
            && (credential.LastRefreshedAt is not { } last || now - last >= TimeSpan.FromDays(1)))
        {
            try
            {
                var exchanged = await meta.ExchangeForLongLivedTokenAsync(token, ct);
                credential.AccessTokenCiphertext = vault.Protect(exchanged.AccessToken, VaultPurposes.AccessToken);
                if (exchanged.ExpiresIn is > 0)
                    credential.AccessTokenExpiresAt = now.AddSeconds(exchanged.ExpiresIn.Value);
                credential.LastRefreshedAt = now;
                outcome = RefreshOutcome.Reexchanged;
                LogRefreshed(logger, credential.Id, credential.Kind);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && RefreshFailure.Classify(ex) is { } failure)
            {
                return (RefreshOutcome.Failed, failure);
            }
        }

        if (credential.Kind == CredentialKinds.MetaUser)
        {
            // Page tokens live as long as the user's data-access window: keep their expiry (the API's token_expires_at) current.
            var grantExpires = credential.GrantExpiresAt;
            await db.Credentials.Where(c => c.ParentCredentialId == credential.Id && c.InvalidatedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.GrantExpiresAt, grantExpires), ct);
            await NotifyExpiringAsync(credential, now, ct);
        }
        credential.NextCheckAt = NextMetaCheck(credential, now);
        return (outcome, null);
    }

    /// <summary>When the grant stops working without the user: the user token's expiry or the data-access window, whichever is first.</summary>
    private static DateTimeOffset? Lapse(Credential credential) =>
        (credential.AccessTokenExpiresAt, credential.GrantExpiresAt) switch
        {
            ({ } a, { } g) => a < g ? a : g,
            ({ } a, null) => a,
            (null, { } g) => g,
            _ => null,
        };

    /// <summary><c>connection.expiring</c> once per window: <see cref="Credential.ExpiringNotifiedAt"/> is cleared when the lapse moves out of the window again.</summary>
    private async Task NotifyExpiringAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        if (Lapse(credential) is not { } lapse) return;
        if (lapse - now > Options.ExpiringNotice)
        {
            credential.ExpiringNotifiedAt = null;
            return;
        }
        if (credential.ExpiringNotifiedAt is not null) return;

        credential.ExpiringNotifiedAt = now;
        var reason = credential.GrantExpiresAt == lapse ? "data_access_expiring" : "token_expiring";
        var (connections, credentials) = await GrantConnectionsAsync(credential, ct);
        foreach (var connection in connections.Where(c => c.Status == ConnectionStatuses.Active))
        {
            var own = credentials.GetValueOrDefault(connection.CredentialId!.Value);
            WebhookOutbox.Add(db, connection.ClientId, WebhookEventTypes.ConnectionExpiring,
                new ConnectionExpiringData(ConnectionResponse.From(connection, own), lapse, reason), now);
        }
        telemetry.ExpiringNotified(connections.Count);
        LogExpiring(logger, credential.Id, connections.Count, reason, lapse);
    }

    private DateTimeOffset NextMetaCheck(Credential credential, DateTimeOffset now)
    {
        var next = now + Options.MetaCheck;
        void Earlier(DateTimeOffset? candidate)
        {
            if (candidate is { } c && c > now && c < next) next = c;
        }
        if (credential.Kind == CredentialKinds.MetaUser)
        {
            var lapse = Lapse(credential);
            if (credential.ExpiringNotifiedAt is null) Earlier(lapse - Options.ExpiringNotice);
            Earlier(lapse);
            Earlier(credential.AccessTokenExpiresAt - Options.MetaReexchangeWithin);
        }
        else
        {
            Earlier(credential.GrantExpiresAt);
        }
        return next > now + TimeSpan.FromMinutes(1) ? next : now + TimeSpan.FromMinutes(1);
    }

    // ---- Failures -------------------------------------------------------------------------------------------------

    private async Task RecordFailureAsync(Credential credential, RefreshFailure failure, DateTimeOffset now, CancellationToken ct)
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
        await db.SaveChangesAsync(ct);

        var connectionIds = flagged.Select(c => c.Id).ToArray();
        var jobs = 0;
        if (connectionIds.Length > 0)
        {
            var error = JobError.From(ErrorCatalog.ReauthRequired, message: $"The account must be reconnected ({reason}); the job was not attempted.").ToJson();
            // One statement: an uploader changing the same row concurrently either sees it failed or keeps it (not queued any more).
            jobs = await db.Jobs.Where(j => connectionIds.Contains(j.ConnectionId) && j.Status == JobStatuses.Queued)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatuses.Failed)
                    .SetProperty(j => j.Error, error)
                    .SetProperty(j => j.NextAttemptAt, (DateTimeOffset?)null)
                    .SetProperty(j => j.CompletedAt, now)
                    .SetProperty(j => j.UpdatedAt, now), ct);
        }
        telemetry.ReauthRequired(flagged.Count, reason);
        LogReauthRequired(logger, credential.Id, flagged.Count, jobs, reason);
    }

    /// <summary>The credential, the Page tokens derived from it, and every connection that publishes with one of them (all tracked).</summary>
    private async Task<(List<Connection> Connections, Dictionary<Guid, Credential> Credentials)> GrantConnectionsAsync(Credential credential, CancellationToken ct)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId} lapses at {Lapse:O} ({Reason}); connection.expiring recorded for {Connections} connections.")]
    private static partial void LogExpiring(ILogger logger, Guid credentialId, int connections, string reason, DateTimeOffset lapse);
}
