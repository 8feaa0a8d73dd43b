using System.Text;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.Media;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// Instagram API with Instagram Login (reference §14, §3.8): www.instagram.com's authorization window
/// (<c>/instagram/oauth/authorize</c>), api.instagram.com's code exchange (<c>/instagram-api/oauth/access_token</c>) and
/// graph.instagram.com (<c>/graph-instagram/</c>): the long-lived exchange, the refresh, <c>/me</c> and the container flow.
/// Instagram User tokens work only here, and Facebook tokens do not.
/// </summary>
internal static class InstagramLoginEndpoints
{
    public const string BasicScope = "instagram_business_basic";
    public const string PublishScope = "instagram_business_content_publish";

    /// <summary>The scope values retired on 2025-01-27 (§14.1).</summary>
    private static readonly string[] RetiredScopes = ["business_basic", "business_content_publish", "business_manage_comments", "business_manage_messages"];

    public static IEndpointRouteBuilder MapInstagramLoginEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/instagram/oauth/authorize", Authorize);
        app.MapPost("/instagram/oauth/authorize", Decide).DisableAntiforgery();
        app.MapPost("/instagram-api/oauth/access_token", ExchangeCode).DisableAntiforgery();
        string[] methods = ["GET", "POST", "DELETE"];
        app.MapMethods("/graph-instagram/{**rest}", methods, Graph).DisableAntiforgery();
        return app;
    }

    // ---- Authorization window (§14.1) ----------------------------------------------------------------------------

    private static IResult Authorize(HttpContext context, SandboxState state)
    {
        var query = context.Request.Query;
        var redirectUri = query["redirect_uri"].ToString();
        var stateValue = query["state"].ToString();
        if (query["client_id"].ToString() != state.Options.Meta.InstagramAppId)
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Invalid Request", "Invalid platform app"), 400);
        }

        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Invalid Request", "Invalid redirect_uri: it must match one of the app's valid OAuth redirect URIs."), 400);
        }

        if (query["response_type"].ToString() != "code")
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Invalid Request", "Invalid response_type: use code."), 400);
        }

        var scopes = MetaOAuthEndpoints.SplitScopes(query["scope"].ToString());
        if (scopes.Intersect(RetiredScopes).Any() || !scopes.Contains(BasicScope))
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Invalid Scopes", $"Invalid scope: {string.Join(',', scopes)}. {BasicScope} is required; business_* values were retired on 2025-01-27."), 400);
        }

        var auto = state.Settings.AutoConsent;
        if (auto.InstagramDeny)
        {
            return Results.Redirect(Denied(redirectUri, stateValue));
        }

        if (auto.Instagram is { } who && state.FindInstagramAccount(who) is { } account)
        {
            var granted = auto.InstagramScopes is null ? scopes : scopes.Intersect(auto.InstagramScopes).ToList();
            return Results.Redirect(Approve(state, account, redirectUri, stateValue, granted));
        }

        return SandboxHttp.Html(ConsentPage(state, redirectUri, stateValue, scopes));
    }

    private static async Task<IResult> Decide(HttpContext context, SandboxState state)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var redirectUri = form["redirect_uri"].ToString();
        var stateValue = form["state"].ToString();
        if (form["client_id"].ToString() != state.Options.Meta.InstagramAppId || string.IsNullOrEmpty(redirectUri))
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Invalid Request", "The authorization form was incomplete."), 400);
        }

        if (form["decision"].ToString() != "allow")
        {
            return Results.Redirect(Denied(redirectUri, stateValue));
        }

        if (state.FindInstagramAccount(form["ig_user_id"].ToString()) is not { } account)
        {
            return SandboxHttp.Html(MetaOAuthEndpoints.ErrorPage("Choose an account", "Pick an Instagram professional account to continue."), 400);
        }

        var asked = MetaOAuthEndpoints.SplitScopes(form["scope"].ToString());
        var ticked = form["granted"].Select(s => s!).Where(asked.Contains).ToList();
        return Results.Redirect(Approve(state, account, redirectUri, stateValue, ticked));
    }

    /// <summary>Records the grant (what was ticked, replacing the earlier one) and sends the browser back with a 1-hour, single-use code and <c>#_</c>.</summary>
    private static string Approve(SandboxState state, InstagramAccount account, string redirectUri, string stateValue, IReadOnlyCollection<string> granted)
    {
        var now = state.Clock.GetUtcNow();
        var code = new MetaCode
        {
            Value = state.Ids.MetaCode(),
            UserId = account.Id,
            RedirectUri = redirectUri,
            Scopes = [.. granted],
            ExpiresAt = now.AddSeconds(state.Settings.IgLoginCodeTtlSeconds),
        };
        lock (state.Gate)
        {
            var grant = state.GrantFor(account.Id, state.Options.Meta.InstagramAppId);
            grant.Scopes = [.. granted];
            grant.Declined = [];
            grant.Revoked = false;
            state.InstagramCodes[code.Value] = code;
        }

        return SandboxHttp.AppendQuery(redirectUri, [new("code", code.Value), new("state", stateValue)]) + "#_";
    }

    private static string Denied(string redirectUri, string stateValue) => SandboxHttp.AppendQuery(redirectUri,
    [
        new("error", "access_denied"),
        new("error_reason", "user_denied"),
        new("error_description", "The user denied your request"),
        new("state", stateValue),
    ]) + "#_";

    private static string ConsentPage(SandboxState state, string redirectUri, string stateValue, List<string> scopes)
    {
        var html = new StringBuilder();
        html.Append(MetaOAuthEndpoints.PageHead("Log in with Instagram (sandbox)", "#c13584"));
        html.Append($"<h1>{SandboxHttp.HtmlEncode(state.Options.Meta.AppName)} would like to access your Instagram professional account</h1>");
        html.Append("<form method=\"post\">");
        MetaOAuthEndpoints.Hidden(html, "client_id", state.Options.Meta.InstagramAppId);
        MetaOAuthEndpoints.Hidden(html, "redirect_uri", redirectUri);
        MetaOAuthEndpoints.Hidden(html, "state", stateValue);
        MetaOAuthEndpoints.Hidden(html, "scope", string.Join(',', scopes));
        html.Append("<fieldset><legend>Continue as</legend>");
        List<InstagramAccount> accounts;
        lock (state.Gate)
        {
            accounts = [.. state.InstagramAccounts.Values];
        }

        var first = true;
        foreach (var account in accounts)
        {
            var page = account.PageId is null ? "no Facebook Page" : "linked to a Page";
            html.Append($"<label><input type=\"radio\" name=\"ig_user_id\" value=\"{account.Id}\"{(first ? " checked" : "")}> @{SandboxHttp.HtmlEncode(account.Username)} <small>({account.Id}, {account.AccountType}, {page})</small></label><br>");
            first = false;
        }

        html.Append("</fieldset><fieldset><legend>Permissions (untick to decline)</legend>");
        foreach (var scope in scopes)
        {
            html.Append($"<label><input type=\"checkbox\" name=\"granted\" value=\"{SandboxHttp.HtmlEncode(scope)}\" checked> {SandboxHttp.HtmlEncode(scope)}</label><br>");
        }

        html.Append("</fieldset><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> ");
        html.Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Cancel</button></form></body></html>");
        return html.ToString();
    }

    // ---- api.instagram.com/oauth/access_token (§14.2) ---------------------------------------------------------------

    /// <summary>api.instagram.com's error shape: <c>{"error_type","code","error_message"}</c>, not the Graph envelope.</summary>
    private static IResult OAuthError(string message, int status = 400, string type = "OAuthException") =>
        Results.Json(new { error_type = type, code = status, error_message = message }, SandboxJson.Verbatim, statusCode: status);

    private static async Task<IResult> ExchangeCode(HttpContext context, SandboxState state)
    {
        if (!context.Request.HasFormContentType)
        {
            return OAuthError("You must provide a client_id", type: "OAuthException");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var options = state.Options.Meta;
        if (form["client_id"].ToString() is not { Length: > 0 } clientId)
        {
            return OAuthError("You must provide a client_id");
        }

        if (clientId != options.InstagramAppId)
        {
            return OAuthError("Invalid platform app");
        }

        if (form["client_secret"].ToString() != options.InstagramAppSecret)
        {
            return OAuthError("Error validating client secret.");
        }

        if (form["grant_type"].ToString() != "authorization_code")
        {
            return OAuthError("Invalid grant_type: use authorization_code.");
        }

        var now = state.Clock.GetUtcNow();
        InstagramAccount account;
        IReadOnlyCollection<string> scopes;
        lock (state.Gate)
        {
            // Unknown, used and expired codes get the one documented answer (§14.2).
            if (!state.InstagramCodes.TryGetValue(form["code"].ToString(), out var code) || code.Used || code.ExpiresAt <= now)
            {
                return OAuthError("Matching code was not found or was already used");
            }

            if (form["redirect_uri"].ToString() != code.RedirectUri)
            {
                return OAuthError("Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request");
            }

            code.Used = true;
            account = state.InstagramAccounts[code.UserId];
            scopes = code.Scopes;
        }

        var token = IssueToken(state, account, longLived: false);
        // user_id is the Instagram-scoped id (a number), not the professional account id publishing paths take (§14.5).
        var entry = new { access_token = token.Value, user_id = long.Parse(account.ScopedId, System.Globalization.CultureInfo.InvariantCulture), permissions = string.Join(',', scopes) };
        return state.Settings.IgLoginFlatTokenResponse ? GraphEndpoints.Json(entry) : GraphEndpoints.Json(new { data = new[] { entry } });
    }

    private static MetaToken IssueToken(SandboxState state, InstagramAccount account, bool longLived)
    {
        var now = state.Clock.GetUtcNow();
        var token = new MetaToken
        {
            Value = state.Ids.InstagramUserToken(),
            Type = MetaTokenType.InstagramUser,
            AppId = state.Options.Meta.InstagramAppId,
            UserId = account.Id,
            IssuedAt = now,
            ExpiresAt = now.AddSeconds(longLived ? state.Settings.IgLongLivedTokenSeconds : state.Settings.IgShortLivedTokenSeconds),
            LongLived = longLived,
        };
        lock (state.Gate)
        {
            state.MetaTokens[token.Value] = token;
        }

        return token;
    }

    // ---- graph.instagram.com (§14.3–§14.7) ----------------------------------------------------------------------------

    private static async Task<IResult> Graph(HttpContext context, SandboxState state, MediaFetcher fetcher)
    {
        var path = GraphPath.Parse(context.Request.Path.Value ?? "");
        var request = await GraphRequest.ReadAsync(context);
        var method = context.Request.Method;
        if (path.Segments is ["access_token"] && method == "GET")
        {
            return ExchangeLongLived(request, state);
        }

        if (path.Segments is ["refresh_access_token"] && method == "GET")
        {
            return Refresh(request, state);
        }

        var (caller, error) = Authenticate(state, request.AccessToken);
        if (caller is null)
        {
            return error!.ToResult();
        }

        if (path.Segments.Length == 0)
        {
            return GraphError.UnknownObject("", method.ToLowerInvariant()).ToResult();
        }

        var id = path.Segments[0] == "me" ? caller.UserId! : path.Segments[0];
        var edge = path.Segments.Length > 1 ? path.Segments[1] : null;
        if (GraphRateLimits.Apply(context, state, caller, id, edge, method) is { } throttled)
        {
            return throttled.ToResult();
        }

        InstagramAccount? ig;
        lock (state.Gate)
        {
            ig = state.InstagramAccounts.GetValueOrDefault(id);
        }

        if (ig is not null)
        {
            return (edge, method) switch
            {
                (null, "GET") => Me(request, state, caller, ig),
                ("media", "POST") => await InstagramPublishing.CreateContainer(request, state, fetcher, caller, ig, context.RequestAborted),
                ("media_publish", "POST") => InstagramPublishing.Publish(request, state, caller, ig),
                ("content_publishing_limit", "GET") => InstagramPublishing.PublishingLimit(request, state, caller, ig),
                _ => GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult(),
            };
        }

        if (edge == "comments" && CommentEndpoints.TryHandle(request, state, caller, id, method) is { } comments)
        {
            return comments;
        }

        return edge is null && method == "GET"
            ? InstagramPublishing.TryGetObject(request, state, caller, id) ?? GraphError.UnknownObject(id).ToResult()
            : GraphError.UnknownObject(id, method.ToLowerInvariant()).ToResult();
    }

    /// <summary>graph.instagram.com knows only Instagram User tokens: a Facebook token cannot be parsed there.</summary>
    private static (MetaCaller? Caller, GraphError? Error) Authenticate(SandboxState state, string? token)
    {
        var (caller, error) = MetaAuth.Authenticate(state, token);
        return caller is { Token.Type: not MetaTokenType.InstagramUser } ? (null, GraphError.BadToken()) : (caller, error);
    }

    /// <summary><c>GET /access_token?grant_type=ig_exchange_token&amp;client_secret&amp;access_token</c>: a valid short-lived token → 60 days (§14.3).</summary>
    private static IResult ExchangeLongLived(GraphRequest request, SandboxState state)
    {
        if (request["grant_type"] != "ig_exchange_token")
        {
            return GraphError.InvalidParameter("Invalid grant_type: use ig_exchange_token.").ToResult();
        }

        if (request["client_secret"] != state.Options.Meta.InstagramAppSecret)
        {
            return new GraphError(1, "Error validating client secret.").ToResult();
        }

        var (caller, error) = Authenticate(state, request["access_token"]);
        if (caller is null)
        {
            return error!.ToResult();
        }

        if (caller.Token.LongLived)
        {
            return GraphError.InvalidParameter("ig_exchange_token takes a short-lived Instagram User access token.").ToResult();
        }

        var token = IssueToken(state, state.InstagramAccounts[caller.UserId!], longLived: true);
        return GraphEndpoints.Json(new { access_token = token.Value, token_type = "bearer", expires_in = state.Settings.IgLongLivedTokenSeconds });
    }

    /// <summary>
    /// <c>GET /refresh_access_token?grant_type=ig_refresh_token&amp;access_token</c>: a long-lived token at least 24 h old and
    /// unexpired, granted instagram_business_basic, gets a new one valid 60 days from now (§14.4). An expired one answers
    /// 190/463 and can no longer be refreshed. The too-young error is undocumented: here 400/100.
    /// </summary>
    private static IResult Refresh(GraphRequest request, SandboxState state)
    {
        if (request["grant_type"] != "ig_refresh_token")
        {
            return GraphError.InvalidParameter("Invalid grant_type: use ig_refresh_token.").ToResult();
        }

        var (caller, error) = Authenticate(state, request["access_token"]);
        if (caller is null)
        {
            return error!.ToResult();
        }

        if (!caller.Token.LongLived)
        {
            return GraphError.InvalidParameter("Only long-lived Instagram User access tokens can be refreshed.").ToResult();
        }

        if (state.Clock.GetUtcNow() - caller.Token.IssuedAt < TimeSpan.FromSeconds(state.Settings.IgRefreshMinAgeSeconds))
        {
            return GraphError.InvalidParameter("The access token can be refreshed only once it is at least 24 hours old.").ToResult();
        }

        if (!caller.Has(BasicScope))
        {
            return GraphError.Permission(BasicScope, 10).ToResult();
        }

        var token = IssueToken(state, state.InstagramAccounts[caller.UserId!], longLived: true);
        return GraphEndpoints.Json(new { access_token = token.Value, token_type = "bearer", expires_in = state.Settings.IgLongLivedTokenSeconds });
    }

    /// <summary><c>GET /me</c> (= <c>GET /{ig-user-id}</c>): <c>id</c> is the Instagram-scoped id, <c>user_id</c> the professional account id (§14.5).</summary>
    private static IResult Me(GraphRequest request, SandboxState state, MetaCaller caller, InstagramAccount ig)
    {
        if (caller.UserId != ig.Id)
        {
            return GraphError.UnknownObject(ig.Id).ToResult();
        }

        if (!caller.Has(BasicScope))
        {
            return GraphError.Permission(BasicScope, 10).ToResult();
        }

        int published;
        lock (state.Gate)
        {
            published = state.InstagramMedia.Values.Count(m => m.IgUserId == ig.Id);
        }

        var body = new Dictionary<string, object?> { ["id"] = ig.ScopedId };
        foreach (var field in request.Fields("id").Keys)
        {
            body[field] = field switch
            {
                "id" => ig.ScopedId,
                "user_id" => ig.Id,
                "username" => ig.Username,
                "name" => ig.Username,
                "account_type" => ig.AccountType,
                "profile_picture_url" => $"https://scontent.cdninstagram.com/v/{ig.Id}.jpg",
                "followers_count" => 0,
                "follows_count" => 0,
                "media_count" => published,
                _ => null,
            };
        }

        return GraphEndpoints.Json(body);
    }
}
