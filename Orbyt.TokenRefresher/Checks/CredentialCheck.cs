using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;

namespace Orbyt.TokenRefresher.Checks;

/// <summary>
/// The scheduled check of one credential a scheduling pass claimed, in one transaction under the row lock
/// (<see cref="CredentialRefresher.LockAsync"/>): a credential someone else handled while we waited is skipped; otherwise
/// its kind's check runs (<see cref="GoogleCredentialCheck"/>, <see cref="MetaCredentialCheck"/>) and a failure is
/// recorded through the same path as an on-demand refresh (<see cref="CredentialRefresher.RecordFailureAsync"/>).
/// </summary>
public sealed class CredentialCheck(
    OrbytDbContext db,
    CredentialRefresher refresher,
    GoogleCredentialCheck google,
    MetaCredentialCheck meta,
    InstagramCredentialCheck instagram,
    CredentialTelemetry telemetry,
    TimeProvider time)
{
    /// <summary>
    /// The scheduled check of a credential claimed by <paramref name="leaseOwner"/>: refreshes, re-exchanges, inspects
    /// or reschedules it according to its kind, then releases the lease. Never throws for platform failures.
    /// </summary>
    public async Task<RefreshOutcome> CheckAsync(Guid credentialId, string leaseOwner, CancellationToken ct)
    {
        using var activity = CredentialTelemetry.Source.StartActivity("Check credential");
        activity?.SetTag("orbyt.credential_id", credentialId);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var credential = await refresher.LockAsync(credentialId, ct);
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
                    CredentialKinds.Google => await google.CheckAsync(credential, now, ct),
                    CredentialKinds.MetaUser or CredentialKinds.MetaPage => await meta.CheckAsync(credential, now, ct),
                    CredentialKinds.InstagramUser => await instagram.CheckAsync(credential, now, ct),
                    _ => (RefreshOutcome.Checked, null),
                };
                if (failure is not null)
                {
                    outcome = RefreshOutcome.Failed;
                    await refresher.RecordFailureAsync(credential, failure, now, ct);
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
}
