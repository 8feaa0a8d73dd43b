using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Vault;

namespace Orbyt.Core.Credentials;

/// <summary>
/// The one way workers obtain a usable access token for a connection: checks the connection is active, opens the
/// ciphertext, and refreshes a Google access token on demand (<see cref="CredentialRefresher"/>, the locked path the
/// refresher's checks take too) when it expires within <see cref="RefreshMargin"/>. The refresh runs in its own scope,
/// on its own DbContext: it never touches what the caller's DbContext tracks (a leased job with its unsaved progress).
/// </summary>
public sealed class ConnectionTokens(OrbytDbContext db, ITokenVault vault, IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(2);

    public async Task<UsableToken> GetAsync(Guid connectionId, CancellationToken ct)
    {
        var connection = await db.Connections.AsNoTracking().Include(c => c.Credential).SingleOrDefaultAsync(c => c.Id == connectionId, ct)
            ?? throw new ConnectionUnusableException(ErrorCatalog.ConnectionRevoked, "The connection no longer exists.");
        return await GetAsync(connection, ct);
    }

    /// <summary>The same, for a connection the caller has already loaded with its <see cref="Connection.Credential"/>.</summary>
    public async Task<UsableToken> GetAsync(Connection connection, CancellationToken ct)
    {
        if (connection.Status == ConnectionStatuses.Revoked || connection.Credential is null)
            throw new ConnectionUnusableException(ErrorCatalog.ConnectionRevoked, "The connection was disconnected.");
        var credential = connection.Credential;
        if (connection.Status == ConnectionStatuses.ReauthRequired || credential.InvalidatedAt is not null)
            throw new ConnectionUnusableException(ErrorCatalog.ReauthRequired, connection.ReauthReason ?? "The grant no longer works.");

        if (credential.Kind == CredentialKinds.Google
            && (credential.AccessTokenExpiresAt is null || credential.AccessTokenExpiresAt - time.GetUtcNow() < RefreshMargin))
        {
            await using var scope = scopes.CreateAsyncScope();
            credential = await scope.ServiceProvider.GetRequiredService<CredentialRefresher>().RefreshAsync(credential.Id, RefreshMargin, ct);
        }
        return new UsableToken(connection.Id, credential.Id, credential.Kind,
            vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken), credential.AccessTokenExpiresAt);
    }

    /// <summary>
    /// Google refused a Google access token before its recorded expiry (revoked session, a clock ahead of ours): the
    /// next <see cref="GetAsync(Guid, CancellationToken)"/> refreshes it, and a dead grant then shows as reauth_required.
    /// </summary>
    public Task ExpireAccessTokenAsync(Guid credentialId, CancellationToken ct) =>
        db.Credentials.Where(c => c.Id == credentialId && c.Kind == CredentialKinds.Google)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccessTokenExpiresAt, time.GetUtcNow()), ct);
}
