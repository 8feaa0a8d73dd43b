using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Vault;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Api.Features.Connections;

/// <summary>
/// Writes what a consent produced — encrypted credentials, one connection per account, connection.connected
/// events — in one transaction. Connecting an account again updates its row and reactivates it.
/// </summary>
public sealed class ConnectionWriter(OrbytDbContext db, ITokenVault vault, TimeProvider time, MetaGraphClient meta, GoogleOAuthClient google)
{
    // Everything of one consent is written by a single SaveChanges: one transaction without a user-initiated one,
    // which the retrying execution strategy of the Aspire Npgsql integration would refuse.

    /// <summary>How often the refresher looks at a credential it has no other reason to look at.</summary>
    public static readonly TimeSpan DailyCheck = TimeSpan.FromDays(1);

    public async Task<IReadOnlyList<Connection>> UpsertMetaAsync(Guid clientId, string userId, string platform, MetaGrant grant, IReadOnlyList<DiscoveredAccount> accounts, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Facebook and Instagram consents grant different permissions: each flow keeps its own tokens, so
        // connecting Instagram never replaces the Page token that posts to Facebook (and vice versa).
        var userCredential = await UpsertCredentialAsync(clientId, userId, CredentialKinds.MetaUser, MetaSubject(platform, grant.MetaUserId), null,
            grant.UserToken, null, grant.ExpiresAt, grant.DataAccessExpiresAt, grant.Scopes, now, ct);

        var connections = new List<Connection>();
        foreach (var account in accounts)
        {
            // Page tokens derived from a long-lived user token do not expire, but live only as long as the grant.
            var pageCredential = await UpsertCredentialAsync(clientId, userId, CredentialKinds.MetaPage, MetaSubject(platform, account.PageId), userCredential.Id,
                account.PageToken, null, null, grant.DataAccessExpiresAt ?? grant.ExpiresAt, grant.Scopes, now, ct);
            connections.Add(await UpsertConnectionAsync(clientId, userId, platform, ConnectionLogins.Facebook, account.AccountId, account.Name, account.Username, account.AvatarUrl,
                pageCredential, grant.Scopes, now, ct));
        }
        await db.SaveChangesAsync(ct);
        return connections;
    }

    /// <summary>
    /// Instagram Login: the Instagram User token is the credential that publishes (no parent, no Page token); the
    /// account's connection shows login=instagram. The same account connected through Facebook Login before is the same
    /// connection, now publishing with this token.
    /// </summary>
    public async Task<Connection> UpsertInstagramLoginAsync(Guid clientId, string userId, InstagramLoginGrant grant, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var credential = await UpsertCredentialAsync(clientId, userId, CredentialKinds.InstagramUser, grant.Account.UserId, null,
            grant.Token, null, grant.ExpiresAt, null, grant.Scopes, now, ct);
        var connection = await UpsertConnectionAsync(clientId, userId, PlatformNames.Instagram, ConnectionLogins.Instagram, grant.Account.UserId,
            grant.Account.Name ?? grant.Account.Username, grant.Account.Username, grant.Account.ProfilePictureUrl, credential, grant.Scopes, now, ct);
        await db.SaveChangesAsync(ct);
        return connection;
    }

    public async Task<IReadOnlyList<Connection>> UpsertYouTubeAsync(Guid clientId, string userId, GoogleGrant grant, IReadOnlyList<YouTubeChannel> channels, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var credential = await UpsertCredentialAsync(clientId, userId, CredentialKinds.Google, grant.Subject, null,
            grant.AccessToken, grant.RefreshToken, grant.AccessTokenExpiresAt, grant.RefreshTokenExpiresAt, grant.Scopes, now, ct);
        if (credential.RefreshTokenCiphertext is null)
            throw new ConnectFailedException(Core.Errors.ErrorCatalog.OAuthExchangeFailed, "Google issued no refresh token.");

        var connections = new List<Connection>();
        foreach (var channel in channels)
            connections.Add(await UpsertConnectionAsync(clientId, userId, PlatformNames.YouTube, ConnectionLogins.Google, channel.Id, channel.Title, channel.CustomUrl, channel.ThumbnailUrl,
                credential, grant.Scopes, now, ct));
        await db.SaveChangesAsync(ct);
        return connections;
    }

    /// <summary>
    /// Disconnects: marks the connection revoked, records connection.revoked, erases tokens no remaining connection
    /// needs, and revokes the grant at the platform when nothing of this user still uses it. The platform is asked
    /// first (best effort), then everything is saved at once.
    /// </summary>
    public async Task<Connection> RevokeAsync(Connection connection, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var credentialId = connection.CredentialId;
        connection.Status = ConnectionStatuses.Revoked;
        connection.RevokedAt = now;
        connection.UpdatedAt = now;
        connection.CredentialId = null;
        WebhookOutbox.Add(db, connection.ClientId, WebhookEventTypes.ConnectionRevoked, ConnectionEventData.From(connection, null), now);
        if (credentialId is null)
        {
            await db.SaveChangesAsync(ct);
            return connection;
        }

        var credential = await db.Credentials.SingleAsync(c => c.Id == credentialId, ct);
        var grantRoot = credential.ParentCredentialId is { } parentId ? await db.Credentials.SingleAsync(c => c.Id == parentId, ct) : credential;

        // Every credential of this grant (the user token and the Page tokens derived from it).
        var grantCredentials = await db.Credentials.Where(c => c.Id == grantRoot.Id || c.ParentCredentialId == grantRoot.Id).ToListAsync(ct);
        var grantIds = grantCredentials.Select(c => c.Id).ToArray();
        var stillUsed = await db.Connections.Where(c => c.Id != connection.Id && c.CredentialId != null && grantIds.Contains(c.CredentialId.Value) && c.Status != ConnectionStatuses.Revoked)
            .Select(c => c.CredentialId!.Value).Distinct().ToListAsync(ct);

        if (stillUsed.Count == 0)
        {
            await RevokeAtPlatformAsync(grantRoot, ct);
            foreach (var c in grantCredentials) Erase(c, now);
        }
        else if (!stillUsed.Contains(credential.Id) && credential.ParentCredentialId is not null)
        {
            Erase(credential, now);
        }
        await db.SaveChangesAsync(ct);
        return connection;
    }

    private async Task RevokeAtPlatformAsync(Credential grant, CancellationToken ct)
    {
        if (grant.InvalidatedAt is not null || grant.AccessTokenCiphertext.Length == 0) return;
        try
        {
            if (grant.Kind == CredentialKinds.Google)
                await google.RevokeAsync(vault.Unprotect(grant.RefreshTokenCiphertext ?? grant.AccessTokenCiphertext,
                    grant.RefreshTokenCiphertext is null ? VaultPurposes.AccessToken : VaultPurposes.RefreshToken), ct);
            else if (grant.Kind == CredentialKinds.MetaUser)
                await meta.RevokePermissionsAsync(MetaId(grant.Subject), vault.Unprotect(grant.AccessTokenCiphertext, VaultPurposes.AccessToken), ct);
            // Instagram Login (CredentialKinds.InstagramUser) documents no revocation call: the person removes the app in
            // Instagram's settings (docs/decisions.md, issue 19). Erasing the token is all we can do.
        }
        catch (PlatformException ex) when (!ex.IsTransient)
        {
            // Already dead at the platform (expired, revoked by the user): nothing left to revoke.
        }
    }

    /// <summary>Meta credentials are keyed by the connect flow and the Meta id: <c>{platform}:{id}</c>.</summary>
    public static string MetaSubject(string platform, string metaId) => $"{platform}:{metaId}";

    public static string MetaId(string subject) => subject[(subject.IndexOf(':') + 1)..];

    private static void Erase(Credential credential, DateTimeOffset now)
    {
        credential.AccessTokenCiphertext = [];
        credential.RefreshTokenCiphertext = null;
        credential.InvalidatedAt ??= now;
        credential.NextCheckAt = null;
        credential.LastError = "revoked";
        credential.UpdatedAt = now;
    }

    private async Task<Credential> UpsertCredentialAsync(Guid clientId, string userId, string kind, string subject, Guid? parentId,
        string accessToken, string? refreshToken, DateTimeOffset? accessExpiresAt, DateTimeOffset? grantExpiresAt, IReadOnlyList<string> scopes,
        DateTimeOffset now, CancellationToken ct)
    {
        var credential = await db.Credentials.SingleOrDefaultAsync(c => c.ClientId == clientId && c.UserId == userId && c.Kind == kind && c.Subject == subject, ct);
        if (credential is null)
        {
            credential = new Credential
            {
                Id = Guid.CreateVersion7(now), ClientId = clientId, UserId = userId, Kind = kind, Subject = subject,
                AccessTokenCiphertext = [], CreatedAt = now,
            };
            db.Credentials.Add(credential);
        }
        credential.ParentCredentialId = parentId;
        credential.AccessTokenCiphertext = vault.Protect(accessToken, VaultPurposes.AccessToken);
        // Google returns a refresh token only on (forced) consent; keep the stored one otherwise.
        if (refreshToken is not null)
            credential.RefreshTokenCiphertext = vault.Protect(refreshToken, VaultPurposes.RefreshToken);
        credential.AccessTokenExpiresAt = accessExpiresAt;
        credential.GrantExpiresAt = grantExpiresAt;
        credential.Scopes = scopes.ToList();
        credential.LastRefreshedAt = now;
        credential.LastCheckedAt = now;
        credential.NextCheckAt = NextCheck(kind, accessExpiresAt, now);
        credential.InvalidatedAt = null;
        credential.ConsecutiveFailures = 0;
        credential.FailingSince = null;
        credential.LastError = null;
        credential.ExpiringNotifiedAt = null;
        credential.UpdatedAt = now;
        return credential;
    }

    /// <summary>When the refresher should first look at a fresh credential: before a Google access token expires, daily otherwise.</summary>
    public static DateTimeOffset NextCheck(string kind, DateTimeOffset? accessExpiresAt, DateTimeOffset now) =>
        kind == CredentialKinds.Google && accessExpiresAt is { } expires
            ? Min(expires - TimeSpan.FromMinutes(5), now + DailyCheck)
            : now + DailyCheck;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private async Task<Connection> UpsertConnectionAsync(Guid clientId, string userId, string platform, string login, string accountId, string? name, string? username, string? avatarUrl,
        Credential credential, IReadOnlyList<string> scopes, DateTimeOffset now, CancellationToken ct)
    {
        var connection = await db.Connections.SingleOrDefaultAsync(c => c.ClientId == clientId && c.UserId == userId && c.Platform == platform && c.AccountId == accountId, ct);
        if (connection is null)
        {
            connection = new Connection { Id = Guid.CreateVersion7(now), ClientId = clientId, UserId = userId, Platform = platform, AccountId = accountId, ConnectedAt = now };
            db.Connections.Add(connection);
        }
        else if (connection.Status != ConnectionStatuses.Active)
        {
            connection.ConnectedAt = now;
        }
        connection.Login = login;
        connection.AccountName = name;
        connection.AccountUsername = username;
        connection.AvatarUrl = avatarUrl;
        connection.Status = ConnectionStatuses.Active;
        connection.ReauthReason = null;
        connection.RevokedAt = null;
        connection.Scopes = scopes.ToList();
        connection.CredentialId = credential.Id;
        connection.UpdatedAt = now;
        WebhookOutbox.Add(db, clientId, WebhookEventTypes.ConnectionConnected, ConnectionEventData.From(connection, credential), now);
        return connection;
    }
}
