using System.Security.Cryptography;
using System.Text;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.Meta;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Google;

/// <summary>accounts.google.com's consent page and oauth2.googleapis.com's token, revoke and tokeninfo endpoints.</summary>
internal static class GoogleOAuthEndpoints
{
    public static IEndpointRouteBuilder MapGoogleOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/google-accounts/o/oauth2/v2/auth", Consent);
        app.MapGet("/google-accounts/o/oauth2/auth", Consent);
        app.MapPost("/google-accounts/o/oauth2/v2/auth", Decide).DisableAntiforgery();
        app.MapPost("/google-oauth2/token", Token).DisableAntiforgery();
        app.MapPost("/google-oauth2/revoke", Revoke).DisableAntiforgery();
        app.MapGet("/google-oauth2/revoke", () => Results.NotFound());
        app.MapMethods("/google-oauth2/tokeninfo", ["GET", "POST"], TokenInfo).DisableAntiforgery();
        return app;
    }

    private sealed record AuthRequest(
        string ClientId, string RedirectUri, string State, List<string> Scopes, bool Offline, string Prompt, bool IncludeGranted,
        string? Challenge, string? ChallengeMethod, string? LoginHint);

    private static AuthRequest Parse(Func<string, string> get) => new(
        get("client_id"),
        get("redirect_uri"),
        get("state"),
        get("scope").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList(),
        get("access_type") == "offline",
        get("prompt"),
        get("include_granted_scopes") == "true",
        get("code_challenge") is { Length: > 0 } c ? c : null,
        get("code_challenge_method") is { Length: > 0 } m ? m : null,
        get("login_hint") is { Length: > 0 } h ? h : null);

    private static IResult Consent(HttpContext context, SandboxState state)
    {
        var auth = Parse(k => context.Request.Query[k].ToString());
        if (Invalid(state, auth) is { } page)
        {
            return page;
        }

        var auto = state.Settings.AutoConsent;
        var account = auto.Google is { } who ? state.FindGoogleAccount(who) : null;
        if (auth.Prompt.Split(' ').Contains("none"))
        {
            // No page may be shown, so nobody can click Allow: the signed-in account (the auto-consent one, else the
            // login_hint) must have granted every requested scope before (OpenID Connect's login_required / consent_required).
            account ??= auth.LoginHint is { } hint ? state.FindGoogleAccount(hint) : null;
            var error = account is null ? "login_required" : !HasGrant(state, account, auth.Scopes) ? "consent_required" : null;
            return Results.Redirect(error is null
                ? Approve(state, auth, account!, auth.Scopes, shownPrompt: "none")
                : SandboxHttp.AppendQuery(auth.RedirectUri, [new("error", error), new("state", auth.State)]));
        }

        if (auto.GoogleDeny)
        {
            return Results.Redirect(SandboxHttp.AppendQuery(auth.RedirectUri, [new("error", "access_denied"), new("state", auth.State)]));
        }

        if (account is not null)
        {
            return Results.Redirect(Approve(state, auth, account, auto.GoogleScopes ?? auth.Scopes));
        }

        return SandboxHttp.Html(ConsentPage(state, context, auth));
    }

    private static async Task<IResult> Decide(HttpContext context, SandboxState state)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var auth = Parse(k => form[k].ToString());
        if (Invalid(state, auth) is { } page)
        {
            return page;
        }

        if (form["decision"].ToString() != "allow")
        {
            return Results.Redirect(SandboxHttp.AppendQuery(auth.RedirectUri, [new("error", "access_denied"), new("state", auth.State)]));
        }

        var account = state.FindGoogleAccount(form["account"].ToString());
        if (account is null)
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Choose an account", "Pick a test account to continue."), 400);
        }

        var granted = form["granted"].Select(s => s!).Where(s => s.Length > 0).ToList();
        return Results.Redirect(Approve(state, auth, account, granted));
    }

    private static IResult? Invalid(SandboxState state, AuthRequest auth)
    {
        if (auth.ClientId != state.Options.Google.ClientId)
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Error 401: invalid_client", "The OAuth client was not found."), 401);
        }

        if (!Uri.TryCreate(auth.RedirectUri, UriKind.Absolute, out _))
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Error 400: redirect_uri_mismatch", "The redirect URI is missing or invalid."), 400);
        }

        if (auth.Scopes.Count == 0)
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Error 400: invalid_request", "Missing required parameter: scope"), 400);
        }

        if (auth.ChallengeMethod is not (null or "S256" or "plain") || (auth.ChallengeMethod is not null && auth.Challenge is null))
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Error 400: invalid_request", "Invalid code_challenge_method or missing code_challenge."), 400);
        }

        return null;
    }

    private static bool HasGrant(SandboxState state, GoogleAccount account, List<string> scopes)
    {
        lock (state.Gate)
        {
            return state.GoogleGrants.Values.Any(g => g.Sub == account.Sub && !g.Revoked && scopes.All(g.Scopes.Contains));
        }
    }

    private static string Approve(SandboxState state, AuthRequest auth, GoogleAccount account, IReadOnlyCollection<string> selected, string shownPrompt = "consent")
    {
        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            var live = state.GoogleGrants.Values.Where(g => g.Sub == account.Sub && !g.Revoked).ToList();
            var granted = new HashSet<string>(selected.Intersect(auth.Scopes));
            if (auth.IncludeGranted)
            {
                granted.UnionWith(live.SelectMany(g => g.Scopes));
            }

            var firstConsent = !live.Any(g => g.RefreshToken is not null);
            var code = new GoogleCode
            {
                Value = state.Ids.GoogleCode(),
                Sub = account.Sub,
                RedirectUri = auth.RedirectUri,
                Scopes = granted.ToArray(),
                ExpiresAt = now.AddSeconds(state.Settings.GoogleCodeTtlSeconds),
                IssueRefreshToken = auth.Offline && (firstConsent || auth.Prompt.Split(' ').Contains("consent")),
                CodeChallenge = auth.Challenge,
                CodeChallengeMethod = auth.Challenge is null ? null : auth.ChallengeMethod ?? "plain",
            };
            state.GoogleCodes[code.Value] = code;
            return SandboxHttp.AppendQuery(auth.RedirectUri,
            [
                new("state", auth.State),
                new("code", code.Value),
                new("scope", string.Join(' ', code.Scopes)),
                new("authuser", "0"),
                new("prompt", shownPrompt),
            ]);
        }
    }

    private static string ConsentPage(SandboxState state, HttpContext context, AuthRequest auth)
    {
        var html = new StringBuilder(MetaOAuthEndpoints.PageHead("Sign in - Google Accounts (sandbox)", "#1a73e8"));
        html.Append($"<h1>Choose an account to continue</h1><form method=\"post\" action=\"{context.Request.PathBase}/google-accounts/o/oauth2/v2/auth\">");
        foreach (var (key, value) in context.Request.Query)
        {
            MetaOAuthEndpoints.Hidden(html, key, value.ToString());
        }

        html.Append("<fieldset><legend>Account</legend>");
        List<GoogleAccount> accounts;
        lock (state.Gate)
        {
            accounts = [.. state.GoogleAccounts.Values];
        }

        var first = true;
        foreach (var account in accounts)
        {
            var selected = auth.LoginHint is null ? first : auth.LoginHint == account.Email;
            html.Append($"<label><input type=\"radio\" name=\"account\" value=\"{account.Sub}\"{(selected ? " checked" : "")}> {SandboxHttp.HtmlEncode(account.Name)} &lt;{SandboxHttp.HtmlEncode(account.Email)}&gt; <small>{(account.Channel is null ? "no YouTube channel" : SandboxHttp.HtmlEncode(account.Channel.Title))}</small></label><br>");
            first = false;
        }

        html.Append("</fieldset><fieldset><legend>Select what the app can access</legend>");
        foreach (var scope in auth.Scopes)
        {
            html.Append($"<label><input type=\"checkbox\" name=\"granted\" value=\"{SandboxHttp.HtmlEncode(scope)}\" checked> {SandboxHttp.HtmlEncode(scope)}</label><br>");
        }

        html.Append("</fieldset><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> ");
        html.Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form></body></html>");
        return html.ToString();
    }

    private static IResult OAuthError(string error, string description, int status = 400) =>
        Results.Json(new { error, error_description = description }, SandboxJson.Verbatim, statusCode: status);

    private static async Task<IResult> Token(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasFormContentType)
        {
            return OAuthError("invalid_request", "Request must be application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var clientId = form["client_id"].ToString();
        var clientSecret = form["client_secret"].ToString();
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
            clientId = Uri.UnescapeDataString(pair[0]);
            clientSecret = pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : "";
        }

        var options = state.Options.Google;
        if (clientId != options.ClientId)
        {
            return OAuthError("invalid_client", "The OAuth client was not found.", 401);
        }

        if (clientSecret != options.ClientSecret)
        {
            return OAuthError("invalid_client", "Unauthorized", 401);
        }

        return form["grant_type"].ToString() switch
        {
            "authorization_code" => ExchangeCode(state, form),
            "refresh_token" => Refresh(state, form["refresh_token"].ToString()),
            "" => OAuthError("unsupported_grant_type", "Invalid grant_type: "),
            var other => OAuthError("unsupported_grant_type", $"Invalid grant_type: {other}"),
        };
    }

    private static IResult ExchangeCode(SandboxState state, IFormCollection form)
    {
        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            if (!state.GoogleCodes.TryGetValue(form["code"].ToString(), out var code))
            {
                return OAuthError("invalid_grant", "Malformed auth code.");
            }

            if (code.Used || code.ExpiresAt <= now)
            {
                return OAuthError("invalid_grant", "Bad Request");
            }

            if (form["redirect_uri"].ToString() != code.RedirectUri)
            {
                return OAuthError("redirect_uri_mismatch", "Bad Request");
            }

            if (code.CodeChallenge is not null)
            {
                var verifier = form["code_verifier"].ToString();
                if (verifier.Length == 0)
                {
                    return OAuthError("invalid_grant", "Missing code verifier.");
                }

                var computed = code.CodeChallengeMethod == "S256"
                    ? Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
                    : verifier;
                if (computed != code.CodeChallenge)
                {
                    return OAuthError("invalid_grant", "Invalid code verifier.");
                }
            }

            code.Used = true;
            var grant = new GoogleGrant { Id = $"grant-{state.Ids.Next()}", Sub = code.Sub, Scopes = [.. code.Scopes] };
            if (code.IssueRefreshToken)
            {
                grant.RefreshToken = state.Ids.GoogleRefreshToken();
            }

            state.GoogleGrants[grant.Id] = grant;
            var access = IssueAccessToken(state, grant, now);
            return Results.Json(new
            {
                access_token = access.Value,
                expires_in = state.Settings.GoogleAccessTokenSeconds,
                refresh_token = grant.RefreshToken,
                scope = string.Join(' ', grant.Scopes),
                token_type = "Bearer",
            }, SandboxJson.Verbatim);
        }
    }

    private static IResult Refresh(SandboxState state, string refreshToken)
    {
        var now = state.Clock.GetUtcNow();
        state.Calls.RecordRefreshGrant(refreshToken);
        lock (state.Gate)
        {
            var grant = state.GoogleGrants.Values.FirstOrDefault(g => g.RefreshToken == refreshToken);
            if (grant is null || grant.Revoked || grant.RefreshTokenExpired)
            {
                return OAuthError("invalid_grant", "Token has been expired or revoked.");
            }

            var access = IssueAccessToken(state, grant, now);
            return Results.Json(new
            {
                access_token = access.Value,
                expires_in = state.Settings.GoogleAccessTokenSeconds,
                scope = string.Join(' ', grant.Scopes),
                token_type = "Bearer",
            }, SandboxJson.Verbatim);
        }
    }

    private static GoogleAccessToken IssueAccessToken(SandboxState state, GoogleGrant grant, DateTimeOffset now)
    {
        var access = new GoogleAccessToken
        {
            Value = state.Ids.GoogleAccessToken(),
            GrantId = grant.Id,
            Sub = grant.Sub,
            Scopes = grant.Scopes.ToArray(),
            ExpiresAt = now.AddSeconds(state.Settings.GoogleAccessTokenSeconds + 1),
        };
        state.GoogleTokens[access.Value] = access;
        return access;
    }

    private static async Task<IResult> Revoke(HttpContext context, SandboxState state)
    {
        var token = context.Request.Query["token"].ToString();
        if (token.Length == 0 && context.Request.HasFormContentType)
        {
            token = (await context.Request.ReadFormAsync(context.RequestAborted))["token"].ToString();
        }

        lock (state.Gate)
        {
            var grant = state.GoogleGrants.Values.FirstOrDefault(g => g.RefreshToken == token)
                        ?? (state.GoogleTokens.TryGetValue(token, out var access) ? state.GoogleGrants.GetValueOrDefault(access.GrantId) : null);
            if (grant is null || grant.Revoked)
            {
                return OAuthError("invalid_token", "Token expired or revoked");
            }

            RevokeGrant(state, grant);
        }

        return Results.Json(new { }, SandboxJson.Verbatim);
    }

    /// <summary>Revokes a grant and every access token issued under it (caller holds the gate).</summary>
    public static void RevokeGrant(SandboxState state, GoogleGrant grant)
    {
        grant.Revoked = true;
        foreach (var access in state.GoogleTokens.Values.Where(t => t.GrantId == grant.Id))
        {
            access.Revoked = true;
        }
    }

    private static async Task<IResult> TokenInfo(HttpContext context, SandboxState state)
    {
        var token = context.Request.Query["access_token"].ToString();
        if (token.Length == 0 && context.Request.HasFormContentType)
        {
            token = (await context.Request.ReadFormAsync(context.RequestAborted))["access_token"].ToString();
        }

        // google-auth-library's getTokenInfo() POSTs no parameter and sends the token as a bearer header instead.
        var header = context.Request.Headers.Authorization.ToString();
        if (token.Length == 0 && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header[7..].Trim();
        }

        var now = state.Clock.GetUtcNow();
        lock (state.Gate)
        {
            if (!state.GoogleTokens.TryGetValue(token, out var access) || access.Revoked || access.ExpiresAt <= now)
            {
                return OAuthError("invalid_token", "Invalid Value");
            }

            var account = state.GoogleAccounts[access.Sub];
            var clientId = state.Options.Google.ClientId;
            return Results.Json(new Dictionary<string, string>
            {
                ["azp"] = clientId,
                ["aud"] = clientId,
                ["sub"] = account.Sub,
                ["scope"] = string.Join(' ', access.Scopes),
                ["exp"] = access.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["expires_in"] = ((long)(access.ExpiresAt - now).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["email"] = account.Email,
                ["email_verified"] = "true",
                ["access_type"] = state.GoogleGrants[access.GrantId].RefreshToken is null ? "online" : "offline",
            }, SandboxJson.Verbatim);
        }
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
