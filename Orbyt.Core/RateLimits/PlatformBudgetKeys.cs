using StackExchange.Redis;

namespace Orbyt.Core.RateLimits;

/// <summary>
/// Where the platform budgets live in Redis: the Uploader takes from them (<c>PlatformBudgets</c>), the API reads them
/// for a connection's health (<see cref="PlatformBudgetReader"/>), so both name the keys here.
/// </summary>
public static class PlatformBudgetKeys
{
    public const string MetaApp = "meta:app";
    public const string YouTubeUploads = "youtube:uploads";
    public const string YouTubeUnits = "youtube:units";
    private const string Prefix = "orbyt:rl:";

    /// <summary>The pause reason of an Instagram account Meta restricted as possible spam (4/2207051).</summary>
    public const string InstagramAccountRestricted = "instagram_account_restricted";

    public static string MetaAccount(string accountId) => $"meta:account:{accountId}";

    /// <summary>The Instagram account's 24-hour publishing window (a single-key script's key).</summary>
    public static RedisKey InstagramPublishingWindow(string igUserId) => Single($"instagram:publishing:{igUserId}", "window");

    /// <summary>
    /// A budget key. One acquire takes from several scopes of one platform at once (Meta: the app and the Page or
    /// account; YouTube: uploads and units) in one script, and a Redis Cluster runs a script only over keys of one
    /// hash slot: the platform, the scope's first segment, is the key's hash tag (<c>orbyt:rl:{meta}:account:123:pause</c>),
    /// so every key of a platform's budgets lives on one node. That costs no spread: every Meta call takes from the
    /// app's budget anyway, so one node sees every Meta acquire whatever the layout (docs/operations.md, Redis Cluster).
    /// </summary>
    public static RedisKey Key(string scope, string part)
    {
        var platform = scope.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? scope[..colon] : scope;
        return $"{Prefix}{{{platform}}}{scope[platform.Length..]}:{part}";
    }

    /// <summary>The counter of a scope's window (<c>w:{window id}</c>).</summary>
    public static RedisKey Window(string scope, string windowId) => Key(scope, "w:" + windowId);

    /// <summary>A key one single-key script uses: hashed whole, so these spread over the cluster's nodes.</summary>
    public static RedisKey Single(string scope, string part) => $"{Prefix}{scope}:{part}";
}
