using Orbyt.Core.RateLimits;

namespace Orbyt.Uploader.RateLimits;

/// <summary>
/// Which budget scope a Meta answer is about, and what to do with it (reference §4.3, §17.1, §17.2). Meta limits the
/// app, each user, each Page and each Instagram account separately; a signal stops only the scope it names, so one
/// tenant's throttled Page or flagged account never pauses the others.
/// <list type="bullet">
/// <item><c>X-App-Usage</c> (app and user tokens): the app.</item>
/// <item><c>X-Business-Use-Case-Usage</c> (Page and Instagram calls): each object it names.</item>
/// <item><c>X-Page-Usage</c> (Page-level limits, not keyed): the Page or account of the call.</item>
/// <item>Errors: 4 and 341 the app; 4 + an Instagram subcode (2207051, a spam restriction, not a quota) that
/// account only; 17 the user; 32 and 80000–80014 the Page or account; 613 the endpoint (613/1996, uneven traffic,
/// slows the app down).</item>
/// </list>
/// </summary>
public static class MetaRateLimitSignals
{
    /// <summary>The pause reason of an Instagram account Meta restricted as possible spam (4/2207051).</summary>
    public const string AccountRestricted = PlatformBudgetKeys.InstagramAccountRestricted;

    public static string UserScope(string metaUserId) => $"meta:user:{metaUserId}";

    public static string EndpointScope(string endpoint) => $"meta:endpoint:{endpoint}";

    /// <summary>The Graph edge a request is for (<c>media</c>, <c>media_publish</c>, <c>videos</c>…), or <c>node</c> for an object read.</summary>
    public static string Endpoint(Uri? uri)
    {
        var last = uri?.AbsolutePath.TrimEnd('/').Split('/').LastOrDefault() ?? "";
        return last.Length == 0 || last.All(c => char.IsDigit(c) || c == '_') || last.Contains(':') || last.StartsWith('v') && last.Contains('.')
            ? "node" : last;
    }

    /// <summary>The scopes a call for <paramref name="target"/> draws from: the app, the user, the Page / account, the endpoint.</summary>
    public static IEnumerable<string> ScopesOf(MetaCallTarget? target, string endpoint)
    {
        yield return PlatformBudgets.MetaApp;
        if (target?.UserId is { } user) yield return UserScope(user);
        if (target is not null) yield return PlatformBudgets.MetaAccountName(target.AccountId);
        yield return EndpointScope(endpoint);
    }

    /// <summary>The actions one answer asks for: its usage headers first, then its error code (null: no error).</summary>
    public static IReadOnlyList<ScopeAction> Read(
        MetaCallTarget? target, string endpoint, MetaUsageReport usage, (int Code, int? Subcode)? error, PlatformRateLimitOptions options)
    {
        var actions = new List<ScopeAction>();
        if (usage.AppMaxPercent is { } app)
            FromPercent(actions, PlatformBudgets.MetaApp, app, 0, options);
        foreach (var business in usage.Business)
            FromPercent(actions, PlatformBudgets.MetaAccountName(business.ObjectId), business.MaxPercent, business.RegainMinutes, options);
        if (usage.Page is { } page && target is not null)
            FromPercent(actions, PlatformBudgets.MetaAccountName(target.AccountId), page.MaxPercent, page.RegainMinutes, options);
        if (error is { } e)
            FromError(actions, target, endpoint, usage, e.Code, e.Subcode, options);
        return actions;
    }

    private static void FromPercent(List<ScopeAction> actions, string scope, int percent, int regainMinutes, PlatformRateLimitOptions options)
    {
        // A regain time of 0 means "not blocked now", not "safe" (Meta's own sample shows 0 at 95-97 %).
        if (regainMinutes > 0)
            actions.Add(new ScopeAction.Pause(scope, TimeSpan.FromMinutes(regainMinutes), "estimated_time_to_regain_access"));
        else if (percent >= 100)
            actions.Add(new ScopeAction.Pause(scope, options.DefaultPause, "usage_at_100_percent"));
        else if (percent >= options.SlowDownAbovePercent)
            actions.Add(new ScopeAction.SlowDown(scope, percent, "usage_high"));
    }

    private static void FromError(
        List<ScopeAction> actions, MetaCallTarget? target, string endpoint, MetaUsageReport usage, int code, int? subcode, PlatformRateLimitOptions options)
    {
        var account = target is null ? null : PlatformBudgets.MetaAccountName(target.AccountId);
        var reason = subcode is null ? $"meta_error_{code}" : $"meta_error_{code}_{subcode}";
        switch (code, subcode)
        {
            // Instagram's 2207xxx subcodes under code 4 are about one account (2207051: restricted as possible spam).
            case (4, >= 2207000 and < 2208000):
                if (account is not null)
                    actions.Add(new ScopeAction.Pause(account, options.AccountRestrictionPause, AccountRestricted));
                break;
            case (4, _) or (341, _):
                actions.Add(new ScopeAction.Pause(PlatformBudgets.MetaApp, options.DefaultPause, reason));
                break;
            case (17, _):
                actions.Add(new ScopeAction.Pause(target?.UserId is { } user ? UserScope(user) : account ?? PlatformBudgets.MetaApp, options.DefaultPause, reason));
                break;
            case (613, 1996):
                actions.Add(new ScopeAction.SlowDown(PlatformBudgets.MetaApp, 100, reason));
                break;
            case (613, _):
                actions.Add(new ScopeAction.Pause(EndpointScope(endpoint), options.DefaultPause, reason));
                break;
            case (32, _) or (>= 80000 and <= 80014, _):
                // The regain time for this object, when the same answer names it; the header's own pause covers the rest.
                var regain = usage.Business.Where(b => target is null || b.ObjectId == target.AccountId).Select(b => b.RegainMinutes).DefaultIfEmpty(0).Max();
                actions.Add(new ScopeAction.Pause(account ?? PlatformBudgets.MetaApp, regain > 0 ? TimeSpan.FromMinutes(regain) : options.DefaultPause, reason));
                break;
        }
    }
}
