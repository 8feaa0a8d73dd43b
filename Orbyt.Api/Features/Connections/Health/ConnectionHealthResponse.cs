namespace Orbyt.Api.Features.Connections.Health;

/// <summary>
/// A connection's health: what a live check against the platform found (token, scopes, account, quota) and what it
/// means for publishing. Never contains a token.
/// </summary>
/// <param name="ConnectionId">The connection checked.</param>
/// <param name="Platform">facebook, instagram or youtube.</param>
/// <param name="Login">facebook, instagram or google: which login the connection publishes through.</param>
/// <param name="Status">The connection's status after the check: active, reauth_required (a check that found the grant dead marks it, as the token refresher does) or revoked.</param>
/// <param name="CheckedAt">When the platform was asked (for a cached answer: when the cached check ran). Null when no live check was needed (a revoked or reauth_required connection).</param>
/// <param name="Cached">True when this answer comes from the cache (at most cache_ttl_seconds old) instead of a live check.</param>
/// <param name="TokenValid">Whether the platform accepts the stored token now; null when the platform could not be asked (see check_error).</param>
/// <param name="ExpiresAt">When the token stops working without a refresh or a reconnect: Meta's expires_at (null for a Page token that does not expire), an Instagram Login token's 60-day end, a Google access token's hour (refreshed automatically).</param>
/// <param name="DataAccessExpiresAt">Meta only: when the grant's data-access window ends (the user must log in again by then).</param>
/// <param name="ScopesGranted">The permissions the platform says the token carries now (Meta debug_token scopes, Google tokeninfo scope; Instagram Login: as granted at connect).</param>
/// <param name="ScopesRequired">The permissions Orbyt needs to publish to this account.</param>
/// <param name="ScopesMissing">Required permissions not granted, or granted for other Pages / accounts only (Meta granular_scopes).</param>
/// <param name="CanPublish">Per format this platform takes (facebook: post, reel, story; instagram: feed, reels, story; youtube: video): whether a publication would be accepted now, and if not why (a catalog code). A Facebook reel also needs room in the Page's 30-reels-per-24-h cap (facebook_reel_limit_reached, quota.facebook_reels).</param>
/// <param name="CanFirstComment">Whether a first_comment would be made under a post published now: reason first_comment_permission_missing when the account was connected without the comment permission (Facebook pages_manage_engagement, Instagram instagram_manage_comments, Instagram Login instagram_business_manage_comments) — publishing itself is unaffected and no reconnect is asked for; first_comment_not_supported on YouTube; otherwise the reason nothing can be published.</param>
/// <param name="NeedsReconnect">True when the user must go through authorize again before anything can be published.</param>
/// <param name="Reason">Why a reconnect is needed, as a catalog code: reauth_required, connection_revoked, insufficient_permissions or youtube_channel_required; null when none is.</param>
/// <param name="ReasonDetail">The platform's reason in one word when known (token_expired, password_changed, invalid_grant, permission_revoked, channel_not_found …).</param>
/// <param name="CheckError">A catalog code when the live check could not finish (platform_unavailable, platform_rate_limited): the other figures are what is known without it. Such an answer is not cached.</param>
/// <param name="Quota">What is left where the platform has a quota.</param>
/// <param name="Pauses">Pauses Orbyt's publishing applies to this account now (a rate-limit error, Meta's regain time, an Instagram spam restriction, a spent YouTube quota).</param>
public sealed record ConnectionHealthResponse(
    Guid ConnectionId,
    string Platform,
    string Login,
    string Status,
    DateTimeOffset? CheckedAt,
    bool Cached,
    bool? TokenValid,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? DataAccessExpiresAt,
    IReadOnlyList<string> ScopesGranted,
    IReadOnlyList<string> ScopesRequired,
    IReadOnlyList<string> ScopesMissing,
    IReadOnlyDictionary<string, FormatHealth> CanPublish,
    FormatHealth CanFirstComment,
    bool NeedsReconnect,
    string? Reason,
    string? ReasonDetail,
    string? CheckError,
    HealthQuota Quota,
    IReadOnlyList<HealthPause> Pauses);

/// <summary>Whether one format can be published now.</summary>
/// <param name="Ok">True when a publication of this format would be accepted now.</param>
/// <param name="Reason">Why not, as a catalog code (reauth_required, insufficient_permissions, platform_account_restricted, instagram_publishing_limit_reached, facebook_reel_limit_reached, youtube_quota_exceeded, platform_unavailable, first_comment_permission_missing …); null when ok.</param>
public sealed record FormatHealth(bool Ok, string? Reason);

/// <summary>Quota left, per kind; each is null where it does not apply or could not be read.</summary>
/// <param name="Instagram">Instagram's publishing limit, as content_publishing_limit reports it.</param>
/// <param name="FacebookReels">A Facebook Page's reels in Meta's 24 h cap, counted as the Uploader counts them before each reel.</param>
/// <param name="Youtube">Today's YouTube budgets as Orbyt counts them (YouTube sends no quota headers).</param>
/// <param name="MetaUsage">Meta's usage percentages from the usage headers of the check's own calls.</param>
public sealed record HealthQuota(InstagramQuota? Instagram, FacebookReelQuota? FacebookReels, YouTubeQuota? Youtube, MetaUsage? MetaUsage);

/// <summary>A Facebook Page's reels in Meta's moving 24 h window (reference §12.4: 30 published through the API per Page), from <c>GET /{page-id}/video_reels?since=</c>.</summary>
/// <param name="ReelsUsed">Reels the Page lists in the last 24 hours (every reel of the Page, so at most an over-count of the API-published ones).</param>
/// <param name="ReelsLimit">Meta's cap, 30.</param>
/// <param name="ReelsLeft">reels_limit − reels_used, never below 0. At 0 a reel waits (facebook_reel_limit_reached) until the oldest leaves the window.</param>
/// <param name="WindowSeconds">The window's length, 86400.</param>
/// <param name="NextFreeAt">When the oldest reel leaves the window, once reels_left is 0 (null otherwise, or when Meta gives no times).</param>
public sealed record FacebookReelQuota(long ReelsUsed, long ReelsLimit, long ReelsLeft, long WindowSeconds, DateTimeOffset? NextFreeAt);

/// <summary>Instagram's content publishing limit (a moving window of quota_duration seconds).</summary>
/// <param name="PostsUsed">Posts published in the window (quota_usage; carousels count once).</param>
/// <param name="PostsTotal">The window's limit (config.quota_total).</param>
/// <param name="PostsLeft">posts_total − posts_used, never below 0.</param>
/// <param name="WindowSeconds">The window's length (config.quota_duration, 86400).</param>
public sealed record InstagramQuota(long PostsUsed, long PostsTotal, long PostsLeft, long WindowSeconds);

/// <summary>Today's YouTube budgets (the day ends at midnight Pacific): the videos.insert bucket and the other methods' units, both shared by every connection of this Orbyt deployment.</summary>
/// <param name="UploadsUsed">videos.insert calls Orbyt made today.</param>
/// <param name="UploadsLimit">Orbyt:RateLimits:YouTubeDailyUploads.</param>
/// <param name="UploadsLeft">uploads_limit − uploads_used, never below 0.</param>
/// <param name="UnitsUsed">Quota units Orbyt's publishing spent today.</param>
/// <param name="UnitsLimit">Orbyt:RateLimits:YouTubeDailyUnits.</param>
/// <param name="UnitsLeft">units_limit − units_used, never below 0.</param>
/// <param name="ResetsAt">The next midnight Pacific on Google's clock.</param>
public sealed record YouTubeQuota(long UploadsUsed, long UploadsLimit, long UploadsLeft, long UnitsUsed, long UnitsLimit, long UnitsLeft, DateTimeOffset ResetsAt);

/// <summary>Meta's usage figures (percent of the limit, 0–100+; throttling starts at 100). Null when the answer carried no such header: absence means unknown, not 0.</summary>
/// <param name="AppPercent">The app's platform limit (X-App-Usage, highest of call_count, total_time, total_cputime).</param>
/// <param name="AccountPercent">This Page's or Instagram account's business-use-case limit (X-Business-Use-Case-Usage for this account).</param>
/// <param name="AccountRegainMinutes">Meta's estimated_time_to_regain_access for this account, in minutes (0: not throttled now).</param>
public sealed record MetaUsage(int? AppPercent, int? AccountPercent, int? AccountRegainMinutes);

/// <summary>A pause Orbyt's publishing applies now.</summary>
/// <param name="Scope">The budget scope: meta:app, meta:account:{id}, youtube:uploads or youtube:units.</param>
/// <param name="Until">When the pause lapses.</param>
/// <param name="Reason">What set it (instagram_account_restricted, estimated_time_to_regain_access, usage_at_100_percent, meta_error_{code}, quota_exceeded …).</param>
public sealed record HealthPause(string Scope, DateTimeOffset Until, string Reason);
