using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Vault;

namespace Orbyt.TokenRefresher.Checks;

/// <summary>
/// Meta user and Page tokens cannot be refreshed, only inspected (debug_token) and, for user tokens, re-exchanged while
/// they still work; so their check also spaces the next one and warns ahead of a lapse (<c>connection.expiring</c>).
/// </summary>
public sealed partial class MetaCredentialCheck(
    OrbytDbContext db,
    ITokenVault vault,
    MetaGraphClient meta,
    IOptions<TokenRefreshOptions> options,
    ExpiringNotifier expiring,
    ILogger<MetaCredentialCheck> logger)
{
    private TokenRefreshOptions Options => options.Value;

    /// <summary>
    /// Of a locked Meta credential, debug_token on the user or Page token: a dead token is a definitive failure; a live
    /// one updates the expiries, re-exchanges a user token that nears its end, and announces a lapse ahead of time
    /// (<c>connection.expiring</c>).
    /// </summary>
    public async Task<(RefreshOutcome, RefreshFailure?)> CheckAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
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
        credential.NextCheckAt = MetaCheckSchedule.Next(credential, now, Options);
        return (outcome, null);
    }

    /// <summary><c>connection.expiring</c> ahead of the user token's or the data-access window's lapse (<see cref="ExpiringNotifier"/>).</summary>
    private Task NotifyExpiringAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        var lapse = MetaCheckSchedule.Lapse(credential);
        return expiring.NotifyAsync(credential, lapse, credential.GrantExpiresAt == lapse ? "data_access_expiring" : "token_expiring", now, ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {CredentialId} ({Kind}) refreshed.")]
    private static partial void LogRefreshed(ILogger logger, Guid credentialId, string kind);

}
