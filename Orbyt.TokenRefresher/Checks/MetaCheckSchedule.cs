using Orbyt.Core.Credentials;
using Orbyt.Core.Data;

namespace Orbyt.TokenRefresher.Checks;

/// <summary>When a Meta grant lapses and when its next check falls: pure, so the spacing is tested without a database.</summary>
public static class MetaCheckSchedule
{
    /// <summary>When the grant stops working without the user: the user token's expiry or the data-access window, whichever is first.</summary>
    public static DateTimeOffset? Lapse(Credential credential) =>
        (credential.AccessTokenExpiresAt, credential.GrantExpiresAt) switch
        {
            ({ } a, { } g) => a < g ? a : g,
            ({ } a, null) => a,
            (null, { } g) => g,
            _ => null,
        };

    /// <summary>The next debug_token: after <see cref="TokenRefreshOptions.MetaCheck"/>, or at the first warning, lapse or re-exchange due before that.</summary>
    public static DateTimeOffset Next(Credential credential, DateTimeOffset now, TokenRefreshOptions options)
    {
        var next = now + options.MetaCheck;
        void Earlier(DateTimeOffset? candidate)
        {
            if (candidate is { } c && c > now && c < next) next = c;
        }
        if (credential.Kind == CredentialKinds.MetaUser)
        {
            var lapse = Lapse(credential);
            if (credential.ExpiringNotifiedAt is null) Earlier(lapse - options.ExpiringNotice);
            Earlier(lapse);
            Earlier(credential.AccessTokenExpiresAt - options.MetaReexchangeWithin);
        }
        else
        {
            Earlier(credential.GrantExpiresAt);
        }
        return next > now + TimeSpan.FromMinutes(1) ? next : now + TimeSpan.FromMinutes(1);
    }
}
