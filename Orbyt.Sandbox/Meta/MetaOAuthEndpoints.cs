using System.Text;
using Orbyt.Sandbox.Http;
using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>www.facebook.com's login dialog and graph.facebook.com's token endpoints.</summary>
internal static class MetaOAuthEndpoints
{
    public static readonly string[] DefaultScopes = ["public_profile"];

    public static IEndpointRouteBuilder MapMetaOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/facebook/dialog/oauth", Dialog);
        app.MapGet("/facebook/{version:regex(^v\\d+\\.\\d+$)}/dialog/oauth", Dialog);
        app.MapPost("/facebook/dialog/oauth", Decide).DisableAntiforgery();
        app.MapPost("/facebook/{version:regex(^v\\d+\\.\\d+$)}/dialog/oauth", Decide).DisableAntiforgery();
        return app;
    }

    private static IResult Dialog(HttpContext context, SandboxState state)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var state_ = query["state"].ToString();
        var configId = query["config_id"].ToString();
        var scopes = SplitScopes(query["scope"].ToString());
        if (clientId != state.Options.Meta.AppId)
        {
            return SandboxHttp.Html(ErrorPage("Invalid App ID", "The provided app ID does not look like a valid app ID."), 400);
        }

        if (string.IsNullOrEmpty(redirectUri) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return SandboxHttp.Html(ErrorPage("URL blocked", "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings."), 400);
        }

        // Facebook Login for Business: the configuration names the permissions, granted all or none (§1.1).
        var configured = configId.Length > 0;
        if (configured)
        {
            if (!state.Settings.MetaLoginConfigurations.TryGetValue(configId, out var configuration))
            {
                return SandboxHttp.Html(ErrorPage("Invalid configuration", "The config_id does not name a Facebook Login for Business configuration of this app."), 400);
            }

            scopes = [.. configuration];
        }

        var rerequest = query["auth_type"].ToString() == "rerequest";
        var auto = state.Settings.AutoConsent;
        if (auto.MetaDeny)
        {
            return Results.Redirect(Denied(redirectUri, state_));
        }

        if (auto.Meta is { } who)
        {
            var user = state.FindMetaUser(who);
            if (user is not null)
            {
                var asked = Asked(state, user, scopes, rerequest);
                var ticked = configured || auto.MetaScopes is null ? asked : auto.MetaScopes.Except(Withheld(state, user, scopes, rerequest)).ToList();
                return Results.Redirect(Approve(state, user, redirectUri, state_, ticked, asked));
            }
        }

        return SandboxHttp.Html(ConsentPage(state, clientId, redirectUri, state_, scopes, rerequest, configured));
    }

    private static async Task<IResult> Decide(HttpContext context, SandboxState state)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var redirectUri = form["redirect_uri"].ToString();
        var stateValue = form["state"].ToString();
        if (form["client_id"].ToString() != state.Options.Meta.AppId || string.IsNullOrEmpty(redirectUri))
        {
            return SandboxHttp.Html(ErrorPage("Invalid request", "The consent form was incomplete."), 400);
        }

        if (form["decision"].ToString() != "allow")
        {
            return Results.Redirect(Denied(redirectUri, stateValue));
        }

        var user = state.FindMetaUser(form["user_id"].ToString());
        if (user is null)
        {
            return SandboxHttp.Html(ErrorPage("Choose an account", "Pick a test account to continue."), 400);
        }

        // The person picked the account only now: what they are asked depends on what they declined before.
        var ticked = form["granted"].Select(s => s!).Where(s => !string.IsNullOrEmpty(s)).ToList();
        var requested = form.ContainsKey("scope") ? SplitScopes(form["scope"].ToString()) : ticked;
        var asked = Asked(state, user, requested, form["auth_type"].ToString() == "rerequest");
        var granted = form["configured"].ToString() == "true" ? asked : ticked.Intersect(asked).ToList();
        return Results.Redirect(Approve(state, user, redirectUri, stateValue, granted, asked));
    }

    /// <summary>
    /// The requested permissions the dialog really asks for: one the person declined before is asked again only with
    /// <c>auth_type=rerequest</c> (§1.1); without it the dialog leaves it declined.
    /// </summary>
    private static List<string> Asked(SandboxState state, MetaUser user, IEnumerable<string> requested, bool rerequest)
    {
        var withheld = Withheld(state, user, requested, rerequest);
        return requested.Except(withheld).ToList();
    }

    private static HashSet<string> Withheld(SandboxState state, MetaUser user, IEnumerable<string> requested, bool rerequest)
    {
        if (rerequest)
        {
            return [];
        }

        lock (state.Gate)
        {
            var grant = state.GrantFor(user.Id, state.Options.Meta.AppId);
            return grant.Revoked ? [] : [.. requested.Where(grant.Declined.Contains)];
        }
    }

    /// <summary>
    /// Records the person's answer, as Meta does when they press Continue: what they ticked is granted, what they were
    /// asked and unticked is declined — an earlier grant of it included (§1.1) — and permissions this dialog did not ask
    /// about keep their state (logins for other permissions accumulate).
    /// </summary>
    private static string Approve(SandboxState state, MetaUser user, string redirectUri, string stateValue, IReadOnlyCollection<string> granted, IReadOnlyCollection<string> asked)
    {
        var now = state.Clock.GetUtcNow();
        var ticked = granted.Union(DefaultScopes).ToHashSet();
        var declined = asked.Except(ticked).ToHashSet();
        var code = new MetaCode
        {
            Value = state.Ids.MetaCode(),
            UserId = user.Id,
            RedirectUri = redirectUri,
            Scopes = [.. ticked],
            ExpiresAt = now.AddSeconds(state.Settings.MetaCodeTtlSeconds),
        };
        lock (state.Gate)
        {
            var grant = state.GrantFor(user.Id, state.Options.Meta.AppId);
            HashSet<string> scopes = grant.Revoked ? [] : [.. grant.Scopes];
            HashSet<string> wasDeclined = grant.Revoked ? [] : [.. grant.Declined];
            scopes.UnionWith(ticked);
            scopes.ExceptWith(declined);
            wasDeclined.UnionWith(declined);
            wasDeclined.ExceptWith(ticked);
            grant.Scopes = scopes;
            grant.Declined = wasDeclined;
            grant.Revoked = false;
            grant.DataAccessExpiresAt = now.AddDays(state.Settings.MetaDataAccessDays);
            state.MetaCodes[code.Value] = code;
        }

        return SandboxHttp.AppendQuery(redirectUri, [new("code", code.Value), new("state", stateValue)]) + "#_=_";
    }

    private static string Denied(string redirectUri, string stateValue) => SandboxHttp.AppendQuery(redirectUri,
    [
        new("error", "access_denied"),
        new("error_code", "200"),
        new("error_description", "Permissions error"),
        new("error_reason", "user_denied"),
        new("state", stateValue),
    ]) + "#_=_";

    public static List<string> SplitScopes(string raw) =>
        raw.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    private static string ConsentPage(SandboxState state, string clientId, string redirectUri, string stateValue, List<string> scopes, bool rerequest, bool configured)
    {
        var html = new StringBuilder();
        html.Append(PageHead("Log in with Facebook (sandbox)", "#1877f2"));
        html.Append($"<h1>{SandboxHttp.HtmlEncode(state.Options.Meta.AppName)} is requesting access</h1>");
        html.Append("<form method=\"post\">");
        Hidden(html, "client_id", clientId);
        Hidden(html, "redirect_uri", redirectUri);
        Hidden(html, "state", stateValue);
        Hidden(html, "scope", string.Join(',', scopes));
        Hidden(html, "auth_type", rerequest ? "rerequest" : "");
        Hidden(html, "configured", configured ? "true" : "false");
        html.Append("<fieldset><legend>Continue as</legend>");
        List<MetaUser> users;
        lock (state.Gate)
        {
            users = [.. state.MetaUsers.Values];
        }

        var first = true;
        foreach (var user in users)
        {
            html.Append($"<label><input type=\"radio\" name=\"user_id\" value=\"{user.Id}\"{(first ? " checked" : "")}> {SandboxHttp.HtmlEncode(user.Name)} <small>({user.Id}, {user.PageIds.Count} Pages)</small></label><br>");
            first = false;
        }

        // A Facebook Login for Business configuration is granted as a whole: nothing to untick.
        html.Append(configured
            ? "</fieldset><fieldset><legend>Permissions (this configuration is granted as a whole)</legend>"
            : "</fieldset><fieldset><legend>Permissions (untick to decline; one declined before is asked again only with auth_type=rerequest)</legend>");
        foreach (var scope in scopes)
        {
            html.Append(configured
                ? $"<span>{SandboxHttp.HtmlEncode(scope)}</span><br>"
                : $"<label><input type=\"checkbox\" name=\"granted\" value=\"{SandboxHttp.HtmlEncode(scope)}\" checked> {SandboxHttp.HtmlEncode(scope)}</label><br>");
        }

        html.Append("</fieldset><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> ");
        html.Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form></body></html>");
        return html.ToString();
    }

    internal static void Hidden(StringBuilder html, string name, string value) =>
        html.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{SandboxHttp.HtmlEncode(value)}\">");

    internal static string PageHead(string title, string color) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{SandboxHttp.HtmlEncode(title)}</title>" +
        "<style>body{font-family:system-ui,sans-serif;max-width:38rem;margin:3rem auto;padding:0 1rem}" +
        $"h1{{font-size:1.3rem;color:{color}}}fieldset{{margin:1rem 0;border:1px solid #ccc;border-radius:6px}}" +
        $"button{{padding:.5rem 1.5rem;margin-right:.5rem;border-radius:6px;border:1px solid {color};background:{color};color:#fff}}" +
        "button[value=deny]{background:#fff;color:#333}.banner{background:#fff3cd;padding:.5rem;border-radius:6px}</style></head><body>" +
        "<p class=\"banner\">Orbyt sandbox: no real account is used.</p>";

    internal static string ErrorPage(string title, string message) =>
        PageHead(title, "#b00020") + $"<h1>{SandboxHttp.HtmlEncode(title)}</h1><p>{SandboxHttp.HtmlEncode(message)}</p></body></html>";
}
