using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;

namespace Orbyt.TokenRefresher.Checks;

/// <summary>
/// A Google grant is only proven alive by using it, so its check is a refresh (<see cref="CredentialRefresher.RefreshGoogleAsync"/>),
/// run when due rather than every pass.
/// </summary>
public sealed class GoogleCredentialCheck(OrbytDbContext db, CredentialRefresher refresher, IOptions<TokenRefreshOptions> options)
{
    private TokenRefreshOptions Options => options.Value;

    /// <summary>
    /// Of a locked Google credential: refresh when a job needs the access token soon and it expires within the
    /// refresh-ahead window, or when the refresh token has not been exercised for
    /// <see cref="TokenRefreshOptions.GoogleGrantCheck"/> (the refresh is the check); otherwise only reschedule.
    /// </summary>
    public async Task<(RefreshOutcome, RefreshFailure?)> CheckAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        if (credential.RefreshTokenCiphertext is null)
            return (RefreshOutcome.Failed, new RefreshFailure(RefreshFailureClass.Definitive, "no_refresh_token", "no refresh token stored"));
        var accessDue = credential.AccessTokenExpiresAt is not { } expires || expires - now < Options.GoogleRefreshAhead;
        // A minute of slack so a check scheduled exactly at the interval is not pushed by clock jitter.
        var grantDue = credential.LastRefreshedAt is not { } last || now - last >= Options.GoogleGrantCheck - TimeSpan.FromMinutes(1);
        if (grantDue || (accessDue && await JobNeedsCredentialSoonAsync(credential.Id, now, ct)))
        {
            var failure = await refresher.RefreshGoogleAsync(credential, now, ct);
            return failure is null ? (RefreshOutcome.Refreshed, null) : (RefreshOutcome.Failed, failure);
        }
        credential.NextCheckAt = refresher.NextGoogleCheck(credential, now);
        return (RefreshOutcome.Checked, null);
    }

    private Task<bool> JobNeedsCredentialSoonAsync(Guid credentialId, DateTimeOffset now, CancellationToken ct)
    {
        var horizon = now + Options.JobLookahead;
        // From the credential's connections to one open YouTube job each (the open-YouTube-jobs index), never a scan of
        // the queued jobs (a Google credential serves YouTube connections only).
        return db.Connections.AnyAsync(c => c.CredentialId == credentialId && c.Status == ConnectionStatuses.Active
            && (db.Jobs.Any(j => j.ConnectionId == c.Id && j.Platform == PlatformNames.YouTube
                    && (j.Status == JobStatuses.Queued || j.Status == JobStatuses.Processing) && j.NextAttemptAt <= horizon)
                || db.Jobs.Any(j => j.ConnectionId == c.Id && j.Platform == PlatformNames.YouTube
                    && (j.Status == JobStatuses.Queued || j.Status == JobStatuses.Processing) && j.NextAttemptAt == null)), ct);
    }
}
