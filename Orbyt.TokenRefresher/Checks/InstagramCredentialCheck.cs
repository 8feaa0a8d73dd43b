using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Vault;

namespace Orbyt.TokenRefresher.Checks;

/// <summary>
/// Instagram Login tokens (reference §14.4) live 60 days and are kept alive only by <c>ig_refresh_token</c>, which Meta
/// refuses for a token younger than 24 hours or already expired ("tokens that have not been refreshed in 60 days …
/// can no longer be refreshed"). So the check refreshes once the token is <see cref="TokenRefreshOptions.InstagramRefreshAfterDays"/>
/// old — well before the end, never before a day —, treats a refusal like every other refresh failure (a dead token
/// or grant is definitive, an outage transient), and warns with <c>connection.expiring</c> when the end comes near
/// anyway (refreshes failing for weeks).
/// </summary>
public sealed partial class InstagramCredentialCheck(
    ITokenVault vault,
    InstagramLoginClient instagram,
    ExpiringNotifier expiring,
    IOptions<TokenRefreshOptions> options,
    ILogger<InstagramCredentialCheck> logger)
{
    /// <summary>Meta refreshes only a token at least this old (§14.4).</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromHours(24);

    private TokenRefreshOptions Options => options.Value;

    public async Task<(RefreshOutcome, RefreshFailure?)> CheckAsync(Credential credential, DateTimeOffset now, CancellationToken ct)
    {
        if (credential.AccessTokenExpiresAt is { } expires && expires <= now)
            return (RefreshOutcome.Failed, new RefreshFailure(RefreshFailureClass.Definitive, "token_expired", "instagram token expired before it was refreshed"));

        var outcome = RefreshOutcome.Checked;
        if (Due(credential, now, Options))
        {
            try
            {
                var refreshed = await instagram.RefreshAsync(vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken), ct);
                credential.AccessTokenCiphertext = vault.Protect(refreshed.AccessToken, VaultPurposes.AccessToken);
                credential.AccessTokenExpiresAt = now.AddSeconds(refreshed.ExpiresIn is > 0 ? refreshed.ExpiresIn.Value : 5_184_000);
                credential.LastRefreshedAt = now;
                outcome = RefreshOutcome.Refreshed;
                LogRefreshed(logger, credential.Id, credential.AccessTokenExpiresAt.Value);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && RefreshFailure.Classify(ex) is { } failure)
            {
                // Still warn when the end is near: the refresh may keep failing until it is too late.
                await expiring.NotifyAsync(credential, credential.AccessTokenExpiresAt, "token_expiring", now, ct);
                return (RefreshOutcome.Failed, failure);
            }
        }
        await expiring.NotifyAsync(credential, credential.AccessTokenExpiresAt, "token_expiring", now, ct);
        credential.NextCheckAt = Next(credential, now, Options);
        return (outcome, null);
    }

    /// <summary>Refresh now: the token is at least a day old and as old as <see cref="TokenRefreshOptions.InstagramRefreshAfterDays"/> (or its end is within the expiring notice).</summary>
    public static bool Due(Credential credential, DateTimeOffset now, TokenRefreshOptions options)
    {
        var issued = credential.LastRefreshedAt ?? credential.CreatedAt;
        if (now - issued < MinimumAge) return false;
        return now - issued >= options.InstagramRefreshAfter
            || credential.AccessTokenExpiresAt is { } expires && expires - now <= options.ExpiringNotice;
    }

    /// <summary>
    /// The next look: when the refresh falls due — at <see cref="TokenRefreshOptions.InstagramRefreshAfterDays"/>, or
    /// earlier when the end enters the expiring notice, never before the token is a day old —, at the latest a day from now.
    /// </summary>
    public static DateTimeOffset Next(Credential credential, DateTimeOffset now, TokenRefreshOptions options)
    {
        var issued = credential.LastRefreshedAt ?? credential.CreatedAt;
        var due = issued + options.InstagramRefreshAfter;
        if (credential.AccessTokenExpiresAt is { } expires && expires - options.ExpiringNotice < due) due = expires - options.ExpiringNotice;
        if (due < issued + MinimumAge) due = issued + MinimumAge;
        var next = now + TimeSpan.FromDays(1);
        if (due < next) next = due;
        return next > now + TimeSpan.FromMinutes(1) ? next : now + TimeSpan.FromMinutes(1);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Instagram Login credential {CredentialId} refreshed; it now expires at {Expires:O}.")]
    private static partial void LogRefreshed(ILogger logger, Guid credentialId, DateTimeOffset expires);
}
