using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Vault;
using Orbyt.Core.Webhooks;

namespace Orbyt.Core.Credentials;

/// <summary>
/// Refreshes one credential under a row lock (<c>SELECT … FOR UPDATE</c>), re-reading it after the lock is taken:
/// any number of refresher replicas and on-demand refreshes make at most one platform call per credential at a
/// time, and a caller that waited on the lock gets the token its predecessor stored. A definitive failure
/// (<c>invalid_grant</c>) marks every connection of the grant reauth_required and records
/// <c>connection.reauth_required</c>; a transient one is counted and retried later, never flagged by itself.
/// </summary>
public sealed partial class CredentialRefresher(OrbytDbContext db, ITokenVault vault, GoogleOAuthClient google, TimeProvider time, ILogger<CredentialRefresher> logger)
{
    public static readonly ActivitySource Source = new("Orbyt.TokenRefresher");

    public async Task<Credential> RefreshAsync(Guid credentialId, TimeSpan margin, CancellationToken ct)
    {
        using var activity = Source.StartActivity("Refresh credential");
        activity?.SetTag("orbyt.credential_id", credentialId);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var credential = await db.Credentials
                .FromSql($"SELECT * FROM credentials WHERE id = {credentialId} FOR UPDATE")
                .SingleAsync(ct);
            activity?.SetTag("orbyt.credential_kind", credential.Kind);
            var now = time.GetUtcNow();

            if (credential.InvalidatedAt is not null)
                throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, credential.LastError ?? "The grant no longer works.");
            if (credential.AccessTokenExpiresAt is { } expires && expires - now >= margin)
            {
                // Someone refreshed it while we waited for the lock.
                await tx.CommitAsync(ct);
                activity?.SetTag("orbyt.refresh", "already_fresh");
                return credential;
            }
            if (credential.Kind != CredentialKinds.Google || credential.RefreshTokenCiphertext is null)
                throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, "This grant cannot be refreshed; the user must reconnect.");

            try
            {
                var tokens = await google.RefreshAsync(vault.Unprotect(credential.RefreshTokenCiphertext, VaultPurposes.RefreshToken), ct);
                credential.AccessTokenCiphertext = vault.Protect(tokens.AccessToken, VaultPurposes.AccessToken);
                if (tokens.RefreshToken is not null)
                    credential.RefreshTokenCiphertext = vault.Protect(tokens.RefreshToken, VaultPurposes.RefreshToken);
                credential.AccessTokenExpiresAt = now.AddSeconds(tokens.ExpiresIn ?? 3599);
                credential.LastRefreshedAt = now;
                credential.LastCheckedAt = now;
                credential.NextCheckAt = credential.AccessTokenExpiresAt - TimeSpan.FromMinutes(5);
                credential.ConsecutiveFailures = 0;
                credential.FailingSince = null;
                credential.LastError = null;
                credential.UpdatedAt = now;
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                activity?.SetTag("orbyt.refresh", "refreshed");
                LogRefreshed(logger, credential.Id);
                return credential;
            }
            catch (GoogleOAuthException ex) when (ex.IsInvalidGrant)
            {
                await MarkReauthRequiredAsync(credential, "invalid_grant", now, ct);
                await tx.CommitAsync(ct);
                activity?.SetTag("orbyt.refresh", "invalid_grant");
                throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, "Google reports the grant as expired or revoked (invalid_grant).");
            }
            catch (Exception ex) when (ex is PlatformException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                credential.ConsecutiveFailures++;
                credential.FailingSince ??= now;
                credential.LastError = ex is PlatformException p ? $"{p.Platform} HTTP {(int)p.Status}" : ex.GetType().Name;
                credential.NextCheckAt = now + TimeSpan.FromSeconds(Math.Min(3600, 30 * Math.Pow(2, Math.Min(credential.ConsecutiveFailures, 7))));
                credential.UpdatedAt = now;
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                activity?.SetTag("orbyt.refresh", "transient_failure");
                LogTransient(logger, credential.Id, credential.ConsecutiveFailures);
                throw new ConnectionUnusableException(ErrorCatalog.PlatformUnavailable, "The token could not be refreshed right now; it will be retried.");
            }
        });
    }

    /// <summary>Marks the grant dead: every connection using it (or a Page token derived from it) needs the user to reconnect.</summary>
    public async Task MarkReauthRequiredAsync(Credential credential, string reason, DateTimeOffset now, CancellationToken ct)
    {
        credential.InvalidatedAt = now;
        credential.LastError = reason;
        credential.NextCheckAt = null;
        credential.UpdatedAt = now;
        var related = await db.Credentials.Where(c => c.ParentCredentialId == credential.Id).Select(c => c.Id).ToListAsync(ct);
        related.Add(credential.Id);
        var connections = await db.Connections.Where(c => c.CredentialId != null && related.Contains(c.CredentialId.Value) && c.Status == ConnectionStatuses.Active).ToListAsync(ct);
        foreach (var connection in connections)
        {
            connection.Status = ConnectionStatuses.ReauthRequired;
            connection.ReauthReason = reason;
            connection.UpdatedAt = now;
            WebhookOutbox.Add(db, connection.ClientId, WebhookEventTypes.ConnectionReauthRequired, new
            {
                connection = new
                {
                    id = connection.Id, user_id = connection.UserId, platform = connection.Platform,
                    account = new { id = connection.AccountId, name = connection.AccountName, username = connection.AccountUsername, avatar_url = connection.AvatarUrl },
                    status = connection.Status, reauth_reason = reason,
                },
            }, now);
        }
        await db.SaveChangesAsync(ct);
        LogReauthRequired(logger, credential.Id, connections.Count, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId} refreshed.")]
    private static partial void LogRefreshed(ILogger logger, Guid credentialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {CredentialId} refresh failed transiently ({Failures} in a row).")]
    private static partial void LogTransient(ILogger logger, Guid credentialId, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {CredentialId} is dead ({Reason}); {Connections} connections need the user to reconnect.")]
    private static partial void LogReauthRequired(ILogger logger, Guid credentialId, int connections, string reason);
}
