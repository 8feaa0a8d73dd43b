using System.Security.Cryptography;
using System.Text;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

internal static class MetaAuth
{
    /// <summary>Resolves and validates a token; checks happen on every call, as Meta does.</summary>
    public static (MetaCaller? Caller, GraphError? Error) Authenticate(SandboxState state, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (null, GraphError.MissingToken());
        }

        var options = state.Options.Meta;
        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            if (value == $"{options.AppId}|{options.AppSecret}")
            {
                return (new MetaCaller(new MetaToken { Value = value, Type = MetaTokenType.App, AppId = options.AppId, IssuedAt = now }, null), null);
            }

            if (!state.MetaTokens.TryGetValue(value, out var token))
            {
                return (null, GraphError.BadToken());
            }

            var error = Validate(state, token, now, out var grant);
            return error is null ? (new MetaCaller(token, grant), null) : (null, error);
        }
    }

    /// <summary>
    /// appsecret_proof (lowercase hex HMAC-SHA256 of the token keyed with the app secret): a wrong one is refused
    /// whenever it is given; a missing one only when the app requires it (meta_require_appsecret_proof). App tokens carry
    /// the secret already and are not checked.
    /// </summary>
    public static GraphError? CheckAppSecretProof(SandboxState state, MetaCaller caller, string? proof)
    {
        if (caller.Token.Type == MetaTokenType.App)
        {
            return null;
        }

        if (string.IsNullOrEmpty(proof))
        {
            return state.Settings.MetaRequireAppsecretProof
                ? new GraphError(100, "API calls from the server require an appsecret_proof argument", Type: "GraphMethodException")
                : null;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(state.Options.Meta.AppSecret), Encoding.UTF8.GetBytes(caller.Token.Value));
        var given = Encoding.ASCII.GetBytes(proof);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(expected)), given)
            ? null
            : new GraphError(100, "Invalid appsecret_proof provided in the API argument", Type: "GraphMethodException");
    }

    /// <summary>Why a token is unusable (caller holds the gate), or null when it is valid.</summary>
    public static GraphError? Validate(SandboxState state, MetaToken token, DateTimeOffset now, out MetaGrant? grant)
    {
        grant = null;
        if (token.InvalidSubcode is { } subcode)
        {
            return GraphError.TokenState(subcode, token.AppId, token.ExpiresAt, now);
        }

        if (token.Type != MetaTokenType.App && token.UserId is not null)
        {
            grant = state.GrantFor(token.UserId, token.AppId);
            if (grant.Revoked)
            {
                return GraphError.TokenState(458, token.AppId, null, now);
            }

            if (token.Type == MetaTokenType.Page && token.PageId is not null
                && (!state.Pages.TryGetValue(token.PageId, out var page) || !state.HasPageTask(token.UserId, page)))
            {
                return GraphError.TokenState(492, token.AppId, null, now);
            }
        }

        if (token.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return GraphError.TokenState(463, token.AppId, expiresAt, now);
        }

        return null;
    }

    /// <summary>The Page token for a user token (Page tokens from long-lived user tokens never expire).</summary>
    public static MetaToken PageTokenFor(SandboxState state, MetaToken userToken, FacebookPage page)
    {
        lock (state.Gate)
        {
            var key = userToken.Value + "/" + page.Id;
            if (state.PageTokenCache.TryGetValue(key, out var existing) && state.MetaTokens.TryGetValue(existing, out var cached))
            {
                return cached;
            }

            var now = state.Clock.GetUtcNow();
            DateTimeOffset? expires = null;
            if (!userToken.LongLived)
            {
                var pageExpiry = now.AddSeconds(state.Settings.MetaShortLivedPageTokenSeconds);
                expires = userToken.ExpiresAt is { } userExpiry && userExpiry < pageExpiry ? userExpiry : pageExpiry;
            }

            var token = new MetaToken
            {
                Value = state.Ids.MetaPageToken(),
                Type = MetaTokenType.Page,
                AppId = userToken.AppId,
                UserId = userToken.UserId,
                PageId = page.Id,
                IssuedAt = now,
                ExpiresAt = expires,
                LongLived = userToken.LongLived,
            };
            state.MetaTokens[token.Value] = token;
            state.PageTokenCache[key] = token.Value;
            return token;
        }
    }

    public static MetaToken IssueUserToken(SandboxState state, string userId, bool longLived)
    {
        lock (state.Gate)
        {
            var now = state.Clock.GetUtcNow();
            var seconds = longLived ? state.Settings.MetaLongLivedTokenSeconds : state.Settings.MetaShortLivedTokenSeconds;
            var token = new MetaToken
            {
                Value = state.Ids.MetaUserToken(),
                Type = MetaTokenType.User,
                AppId = state.Options.Meta.AppId,
                UserId = userId,
                IssuedAt = now,
                ExpiresAt = now.AddSeconds(seconds),
                LongLived = longLived,
            };
            state.MetaTokens[token.Value] = token;
            return token;
        }
    }
}
