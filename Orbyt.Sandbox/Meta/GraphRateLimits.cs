using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// Meta's rate limits, each on the scope Meta keeps it on (reference §4.3, §17.1, §17.2), so that a client which
/// pauses more than the signal names is caught:
/// <list type="bullet">
/// <item>Page tokens, and every call on an Instagram account: business-use-case limits per Page / IG account
/// (24 h) — only <c>X-Business-Use-Case-Usage</c>, keyed by that object, and 80001 / 80002 when it is spent. They do
/// not count against the app ("if both can apply, BUC applies").</item>
/// <item>User and app tokens: the app's platform limit (<c>X-App-Usage</c>, code 4); a user token also counts against
/// its user (code 17, all apps together) and, on a Page, against that Page (code 32).</item>
/// <item>An Instagram account restricted as possible spam: creating and publishing media answer 4/2207051 for that
/// account only, with its usage figures untouched — it is not a quota.</item>
/// </list>
/// Rate-limit errors are HTTP 400 with <c>WWW-Authenticate: OAuth "Facebook Platform" "invalid_request" "…"</c>.
/// </summary>
internal static class GraphRateLimits
{
    public const string RestrictedTitle = "Action Blocked";
    public const string RestrictedUserMessage = "We restrict certain activity to protect our community. Tell us if you think we made a mistake.";

    /// <summary>
    /// Instagram's spam restriction (4/2207051): the user message is the IG error-code table's; the top-level message is
    /// code 4's generic one, which is exactly what makes a client that reads only the code pause the whole app.
    /// </summary>
    public static GraphError AccountRestricted() =>
        new(4, "(#4) Application request limit reached", 2207051, IsTransient: false, UserTitle: RestrictedTitle, UserMessage: RestrictedUserMessage);

    /// <summary>
    /// Counts a call on the app's platform limit and writes <c>X-App-Usage</c>: every app- or user-token call, debug_token
    /// included (§4.3: platform limits are counted per app for calls with app and user tokens). Code 4 once it is spent.
    /// </summary>
    public static GraphError? CountApp(HttpContext context, SandboxState state, string appId, DateTimeOffset now)
    {
        var app = state.Usage.CountApp(appId, now, state.Settings.MetaAppCallBudgetPerHour);
        context.Response.Headers["X-App-Usage"] =
            $$"""{"call_count":{{app.CallCount}},"total_cputime":{{app.TotalCputime}},"total_time":{{app.TotalTime}}}""";
        return app.Throttled ? GraphError.RateLimit(4) : null;
    }

    /// <summary>Counts the call on its scopes, writes their usage headers, and returns the error when one refuses it.</summary>
    public static GraphError? Apply(HttpContext context, SandboxState state, MetaCaller caller, string objectId, string? edge, string method)
    {
        var now = state.Clock.GetUtcNow();
        var settings = state.Settings;
        string? businessObject;
        string? businessType;
        InstagramAccount? restricted = null;
        lock (state.Gate)
        {
            (businessObject, businessType) = BusinessObject(state, caller, objectId);
            if (method == "POST" && edge is "media" or "media_publish" && state.InstagramAccounts.TryGetValue(objectId, out var ig) && ig.RestrictedUntil > now)
            {
                restricted = ig;
            }
        }

        GraphError? error = null;
        if (businessObject is not null)
        {
            var business = state.Usage.CountBusiness(businessObject, now, settings.MetaBusinessCallBudgetPerDay);
            context.Response.Headers["X-Business-Use-Case-Usage"] =
                $$"""{"{{businessObject}}":[{"type":"{{businessType}}","call_count":{{business.CallCount}},"total_cputime":{{business.TotalCputime}},"total_time":{{business.TotalTime}},"estimated_time_to_regain_access":{{business.EstimatedMinutes}}}]}""";
            if (business.Throttled)
            {
                error = GraphError.RateLimit(businessType == "instagram" ? 80002 : 80001);
            }
        }
        else
        {
            error = CountApp(context, state, caller.Token.AppId, now);

            if (caller.Token.Type == MetaTokenType.User && caller.UserId is { } user)
            {
                if (state.Usage.CountUser(user, now, settings.MetaUserCallBudgetPerHour).Throttled)
                {
                    error ??= GraphError.RateLimit(17);
                }

                bool isPage;
                lock (state.Gate)
                {
                    isPage = state.Pages.ContainsKey(objectId);
                }

                if (isPage && state.Usage.CountPageWithUserToken(objectId, now, settings.MetaPageUserTokenCallBudgetPerHour).Throttled)
                {
                    error ??= GraphError.RateLimit(32);
                }
            }
        }

        error ??= restricted is null ? null : AccountRestricted();
        if (error is not null)
        {
            Challenge(context, error);
        }

        return error;
    }

    /// <summary>Meta's rate-limit refusals also carry the error in a <c>WWW-Authenticate</c> challenge (§17.1).</summary>
    public static void Challenge(HttpContext context, GraphError error) =>
        context.Response.Headers.WWWAuthenticate = $"OAuth \"Facebook Platform\" \"invalid_request\" \"{error.Message.Replace("\"", "'", StringComparison.Ordinal)}\"";

    /// <summary>
    /// The business object a call is counted on (caller holds the gate), or null for a platform-limited call: an
    /// Instagram account (any token) or what belongs to it, a Page with a Page token or what belongs to it.
    /// </summary>
    private static (string? Id, string? Type) BusinessObject(SandboxState state, MetaCaller caller, string objectId)
    {
        var ig = state.InstagramAccounts.ContainsKey(objectId) ? objectId
            : state.Containers.TryGetValue(objectId, out var container) ? container.IgUserId
            : state.InstagramMedia.TryGetValue(objectId, out var media) ? media.IgUserId : null;
        if (ig is not null)
        {
            return (ig, "instagram");
        }

        if (caller.Token.Type != MetaTokenType.Page)
        {
            return (null, null);
        }

        var page = state.Pages.ContainsKey(objectId) ? objectId
            : state.FacebookVideos.TryGetValue(objectId, out var video) ? video.PageId : caller.Token.PageId;
        return (page, "pages");
    }
}
