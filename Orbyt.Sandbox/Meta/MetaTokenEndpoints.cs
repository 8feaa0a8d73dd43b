using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>GET /oauth/access_token (code, fb_exchange_token, client_credentials) and GET /debug_token.</summary>
internal static class MetaTokenEndpoints
{
    public static IResult AccessToken(GraphRequest request, SandboxState state)
    {
        var options = state.Options.Meta;
        if (request["client_id"] != options.AppId)
        {
            return new GraphError(101, "Error validating application. Invalid application ID.").ToResult();
        }

        if (request["client_secret"] != options.AppSecret)
        {
            return new GraphError(1, "Error validating client secret.").ToResult();
        }

        var grantType = request["grant_type"];
        if (grantType == "client_credentials")
        {
            var appToken = new MetaToken
            {
                Value = state.Ids.MetaAppToken(options.AppId),
                Type = MetaTokenType.App,
                AppId = options.AppId,
                IssuedAt = state.Clock.GetUtcNow(),
            };
            lock (state.Gate)
            {
                state.MetaTokens[appToken.Value] = appToken;
            }

            return GraphEndpoints.Json(new { access_token = appToken.Value, token_type = "bearer" });
        }

        if (grantType == "fb_exchange_token")
        {
            return ExchangeLongLived(request, state);
        }

        return ExchangeCode(request, state);
    }

    private static IResult ExchangeCode(GraphRequest request, SandboxState state)
    {
        var value = request["code"];
        if (string.IsNullOrEmpty(value))
        {
            return GraphError.MissingParameter("code").ToResult();
        }

        var now = state.Clock.GetUtcNow();
        string userId;
        lock (state.Gate)
        {
            if (!state.MetaCodes.TryGetValue(value, out var code))
            {
                return new GraphError(100, "Invalid verification code format.").ToResult();
            }

            if (code.Used)
            {
                return new GraphError(100, "This authorization code has been used.", 36009).ToResult();
            }

            if (code.ExpiresAt <= now)
            {
                return new GraphError(100, "This authorization code has expired.", 36007).ToResult();
            }

            if (request["redirect_uri"] is { } redirect && redirect != code.RedirectUri)
            {
                return new GraphError(
                    100,
                    "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
                    36008).ToResult();
            }

            // The grant was recorded when the person answered the dialog (MetaOAuthEndpoints.Approve); the code only
            // hands out a token for it.
            code.Used = true;
            userId = code.UserId;
        }

        var token = MetaAuth.IssueUserToken(state, userId, longLived: false);
        return GraphEndpoints.Json(new { access_token = token.Value, token_type = "bearer", expires_in = state.Settings.MetaShortLivedTokenSeconds });
    }

    private static IResult ExchangeLongLived(GraphRequest request, SandboxState state)
    {
        var (caller, error) = MetaAuth.Authenticate(state, request["fb_exchange_token"]);
        if (caller is null)
        {
            return (error ?? GraphError.MissingParameter("fb_exchange_token")).ToResult();
        }

        if (caller.Token.Type != MetaTokenType.User || caller.UserId is null)
        {
            return new GraphError(100, "Invalid fb_exchange_token: only user access tokens can be extended.").ToResult();
        }

        var token = MetaAuth.IssueUserToken(state, caller.UserId, longLived: true);
        return GraphEndpoints.Json(new { access_token = token.Value, token_type = "bearer", expires_in = state.Settings.MetaLongLivedTokenSeconds });
    }

    public static IResult DebugToken(GraphRequest request, SandboxState state)
    {
        var (caller, error) = MetaAuth.Authenticate(state, request.AccessToken);
        if (caller is null)
        {
            return error!.ToResult();
        }

        if (caller.Token.Type == MetaTokenType.Page)
        {
            return new GraphError(100, "(#100) You must provide an app access token, or a user access token that is an owner or developer of the app").ToResult();
        }

        var input = request["input_token"];
        if (string.IsNullOrEmpty(input))
        {
            return GraphError.MissingParameter("input_token").ToResult();
        }

        var options = state.Options.Meta;
        var now = state.Clock.GetUtcNow();
        // An app-token call: Meta counts it on the app's platform limit and says so in X-App-Usage (§4.3).
        if (GraphRateLimits.CountApp(request.Context, state, caller.Token.AppId, now) is { } throttled)
        {
            GraphRateLimits.Challenge(request.Context, throttled);
            return throttled.ToResult();
        }

        lock (state.Gate)
        {
            // Instagram Login tokens are not Facebook tokens: debug_token cannot parse them either.
            if (!state.MetaTokens.TryGetValue(input, out var token) || token.Type == MetaTokenType.InstagramUser)
            {
                return GraphEndpoints.Json(new
                {
                    data = new
                    {
                        error = new { code = 190, message = "Invalid OAuth access token - Cannot parse access token" },
                        is_valid = false,
                        scopes = Array.Empty<string>(),
                        granular_scopes = Array.Empty<object>(),
                    },
                });
            }

            var invalid = MetaAuth.Validate(state, token, now, out var grant);
            grant ??= token.UserId is null ? null : state.GrantFor(token.UserId, token.AppId);
            var scopes = grant?.Scopes.Order(StringComparer.Ordinal).ToArray() ?? [];
            var data = new Dictionary<string, object?>
            {
                ["app_id"] = token.AppId,
                ["type"] = token.Type.ToString().ToUpperInvariant(),
                ["application"] = options.AppName,
                ["expires_at"] = token.ExpiresAt?.ToUnixTimeSeconds() ?? 0,
                ["is_valid"] = invalid is null,
                ["issued_at"] = token.IssuedAt.ToUnixTimeSeconds(),
                ["scopes"] = scopes,
                ["granular_scopes"] = GranularScopes(state, token, scopes),
            };
            if (token.Type != MetaTokenType.App)
            {
                data["data_access_expires_at"] = grant?.DataAccessExpiresAt.ToUnixTimeSeconds() ?? 0;
                data["user_id"] = token.UserId;
            }

            if (token.Type == MetaTokenType.Page)
            {
                data["profile_id"] = token.PageId;
            }

            if (invalid is not null)
            {
                data["error"] = new { code = invalid.Code, message = invalid.Message, subcode = invalid.Subcode };
            }

            return GraphEndpoints.Json(new { data });
        }
    }

    private static List<object> GranularScopes(SandboxState state, MetaToken token, string[] scopes)
    {
        var result = new List<object>();
        if (token.UserId is null || !state.MetaUsers.TryGetValue(token.UserId, out var user))
        {
            return result;
        }

        // The Pages the person picked in the dialog: those with a Page role of their own and those assigned through a
        // portfolio, so a Page absent from /me/accounts is still found here (§11.6). business_management lists the portfolios.
        var pageIds = state.TaskPageIds(user).ToArray();
        var igIds = pageIds.Select(p => state.Pages[p].IgUserId).OfType<string>().ToArray();
        foreach (var scope in scopes)
        {
            if (scope == "business_management")
            {
                result.Add(new { scope, target_ids = user.BusinessIds.ToArray() });
            }
            else if (scope.StartsWith("pages_", StringComparison.Ordinal) || scope == "publish_video")
            {
                result.Add(new { scope, target_ids = pageIds });
            }
            else if (scope.StartsWith("instagram_", StringComparison.Ordinal))
            {
                result.Add(new { scope, target_ids = igIds });
            }
            else
            {
                result.Add(new { scope });
            }
        }

        return result;
    }
}
