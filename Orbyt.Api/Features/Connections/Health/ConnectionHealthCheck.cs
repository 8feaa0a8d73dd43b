using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.RateLimits;
using Orbyt.Core.Vault;
using StackExchange.Redis;

namespace Orbyt.Api.Features.Connections.Health;

/// <summary>
/// The live check of one connection against its platform, and what it means for publishing:
/// <list type="bullet">
/// <item>Facebook Login (Pages, Instagram through a Page): <c>debug_token</c> on the connection's Page token (valid,
/// expiry, data-access window, scopes and granular scopes), then with the Page token itself <c>GET /{page-id}/video_reels</c>
/// (a Page: its reels in the 24 h cap's window, the Uploader's own count) or <c>content_publishing_limit</c> (an Instagram
/// account); Meta counts these calls and reports its usage on them.</item>
/// <item>Instagram Login: <c>/me</c> and <c>content_publishing_limit</c> on graph.instagram.com (debug_token cannot read
/// an Instagram User token).</item>
/// <item>Google: <c>tokeninfo</c> (free); a token it refuses is refreshed through the on-demand refresh path, which marks a
/// dead grant exactly as the refresher does; <c>channels?mine=true</c> (1 unit) at most every
/// <see cref="ConnectionHealthOptions.ChannelCheckTtl"/>.</item>
/// </list>
/// A grant the check finds dead (a definitive failure, as <see cref="RefreshFailure"/> classifies it) is marked through
/// <see cref="CredentialRefresher.RecordFailureAsync"/> under the credential's row lock, like the refresher's own checks.
/// The platform budgets are only read (<see cref="PlatformBudgetReader"/>): the check takes nothing from them and sets
/// no pause, whatever the platform's usage headers say (docs/decisions.md, issue 18 — connection health).
/// </summary>
public sealed partial class ConnectionHealthCheck(
    OrbytDbContext db,
    ITokenVault vault,
    MetaGraphClient meta,
    InstagramLoginClient instagram,
    GoogleOAuthClient google,
    CredentialRefresher refresher,
    PlatformBudgetReader budgets,
    IConnectionMultiplexer redis,
    IOptions<ConnectionHealthOptions> options,
    TimeProvider time,
    ILogger<ConnectionHealthCheck> logger)
{
    /// <summary>A Google access token refreshed before tokeninfo when it ends within this.</summary>
    private static readonly TimeSpan GoogleMargin = TimeSpan.FromMinutes(2);

    /// <summary>Instagram Login accounts that can publish (§14.5: BUSINESS, MEDIA_CREATOR; a personal account cannot).</summary>
    private static readonly string[] ProfessionalAccountTypes = ["BUSINESS", "MEDIA_CREATOR", "CREATOR"];

    /// <summary>The scopes Orbyt needs for this connection's platform and login.</summary>
    public static string[] RequiredScopes(Connection connection) => (connection.Platform, connection.Login) switch
    {
        (PlatformNames.Instagram, ConnectionLogins.Instagram) => PlatformScopes.InstagramLogin,
        (PlatformNames.Instagram, _) => PlatformScopes.InstagramRequired,
        (PlatformNames.YouTube, _) => PlatformScopes.YouTube,
        _ => PlatformScopes.FacebookRequired,
    };

    /// <summary>What is known without asking the platform: a revoked or reauth_required connection (its grant is dead).</summary>
    public async Task<ConnectionHealthResponse> WithoutLiveCheckAsync(Connection connection, CancellationToken ct)
    {
        var revoked = connection.Status == ConnectionStatuses.Revoked || connection.Credential is null;
        var report = new Report(connection)
        {
            TokenValid = false,
            ScopesGranted = connection.Credential?.Scopes ?? [],
            ExpiresAt = connection.Credential?.AccessTokenExpiresAt,
        };
        report.Reconnect(revoked ? ErrorCatalog.ConnectionRevoked : ErrorCatalog.ReauthRequired, revoked ? "disconnected" : connection.ReauthReason);
        if (connection.Platform == PlatformNames.YouTube) await ReadYouTubeBudgetsAsync(report);
        return report.Build(null, cached: false);
    }

    /// <summary>An active connection whose live check was refused by the health rate limit (one item of a list): what is known without one.</summary>
    public async Task<ConnectionHealthResponse> NotCheckedAsync(Connection connection, string checkError)
    {
        var report = new Report(connection) { CheckError = checkError, ExpiresAt = connection.Credential?.AccessTokenExpiresAt, ScopesGranted = connection.Credential?.Scopes ?? [] };
        if (connection.Platform == PlatformNames.YouTube) await ReadYouTubeBudgetsAsync(report);
        else await ReadMetaPausesAsync(connection, report);
        return report.Build(null, cached: false);
    }

    /// <summary>Asks the platform about an active connection. Never throws for platform failures: they become <c>check_error</c>.</summary>
    public async Task<ConnectionHealthResponse> LiveAsync(Connection connection, CancellationToken ct)
    {
        var report = new Report(connection);
        var now = time.GetUtcNow();
        try
        {
            switch (connection.Platform, connection.Login)
            {
                case (PlatformNames.YouTube, _):
                    await CheckGoogleAsync(connection, report, ct);
                    break;
                case (PlatformNames.Instagram, ConnectionLogins.Instagram):
                    await CheckInstagramLoginAsync(connection, report, now, ct);
                    break;
                default:
                    await CheckFacebookLoginAsync(connection, report, now, ct);
                    break;
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is PlatformException or HttpRequestException or TimeoutException
            or TaskCanceledException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException or System.Text.Json.JsonException
            or KeyNotFoundException or InvalidOperationException)
        {
            var failure = RefreshFailure.Classify(ex);
            if (ex is MetaApiException { Usage: { } usage }) report.Usage(usage, connection.AccountId);
            report.CheckError = failure?.Reason == "rate_limited" ? ErrorCatalog.PlatformRateLimited.Code : ErrorCatalog.PlatformUnavailable.Code;
            LogCheckFailed(logger, connection.Id, connection.Platform, failure?.Reason ?? ex.GetType().Name);
        }
        // After the Google calls: their Date headers set the clock YouTube's day is counted on.
        if (connection.Platform == PlatformNames.YouTube) await ReadYouTubeBudgetsAsync(report);
        return report.Build(now, cached: false);
    }

    // ---- Facebook Login: a Page, or an Instagram account through a Page --------------------------------------------

    private async Task CheckFacebookLoginAsync(Connection connection, Report report, DateTimeOffset now, CancellationToken ct)
    {
        var token = vault.Unprotect(connection.Credential!.AccessTokenCiphertext, VaultPurposes.AccessToken);
        var (info, appUsage) = await meta.DebugTokenWithUsageAsync(token, ct);
        report.Usage(appUsage, connection.AccountId);
        report.ExpiresAt = info.ExpiresAt is > 0 ? DateTimeOffset.FromUnixTimeSeconds(info.ExpiresAt.Value) : null;
        report.DataAccessExpiresAt = info.DataAccessExpiresAt is > 0 ? DateTimeOffset.FromUnixTimeSeconds(info.DataAccessExpiresAt.Value) : null;
        report.ScopesGranted = info.Scopes ?? [];
        await ReadMetaPausesAsync(connection, report);

        var dead = !info.IsValid
            ? info.Error is { } e ? RefreshFailure.FromMeta(e.Code, e.Subcode, null, null) : new RefreshFailure(RefreshFailureClass.Definitive, "token_invalid", "debug_token is_valid=false")
            : report.DataAccessExpiresAt <= now ? new RefreshFailure(RefreshFailureClass.Definitive, "data_access_expired", "meta data_access_expires_at passed") : null;
        if (dead is not null)
        {
            report.TokenValid = false;
            await MarkDeadAsync(connection, report, dead, now, ct);
            return;
        }
        report.TokenValid = true;
        // granular_scopes: a permission granted for some Pages / accounts only does not cover one outside its target_ids (§1.5, §11.6).
        var publishScope = connection.Platform == PlatformNames.Instagram ? "instagram_content_publish" : "pages_manage_posts";
        foreach (var scope in new[] { publishScope, PlatformScopes.Comment(connection.Platform, connection.Login) })
        {
            if (info.GranularScopes?.FirstOrDefault(g => g.Scope == scope) is { TargetIds: { Length: > 0 } targets } && !targets.Contains(connection.AccountId))
                report.NotGrantedHere.Add(scope!);
        }
        if (report.Missing.Count > 0) return;

        try
        {
            if (connection.Platform == PlatformNames.Instagram)
            {
                var (limit, usage) = await meta.GetPublishingLimitAsync(connection.AccountId, token, now.AddDays(-1), ct);
                report.Usage(usage, connection.AccountId);
                report.InstagramLimit = limit;
            }
            else
            {
                var (reels, usage) = await meta.GetReelWindowAsync(connection.AccountId, token, now, ct);
                report.Usage(usage, connection.AccountId);
                report.FacebookReels = reels;
            }
        }
        catch (MetaApiException ex) when (RefreshFailure.FromMeta(ex.Code, ex.Subcode, ex.MetaIsTransient, ex.Status) is { Class: RefreshFailureClass.Definitive } failure)
        {
            // The token is valid, yet the account refuses it: a removed Page role or permission.
            if (failure.Reason == "permission_revoked") report.Reconnect(ErrorCatalog.InsufficientPermissions, failure.Reason);
            else await MarkDeadAsync(connection, report, failure, now, ct);
        }
    }

    // ---- Instagram Login ---------------------------------------------------------------------------------------------

    private async Task CheckInstagramLoginAsync(Connection connection, Report report, DateTimeOffset now, CancellationToken ct)
    {
        var credential = connection.Credential!;
        report.ExpiresAt = credential.AccessTokenExpiresAt;
        report.ScopesGranted = credential.Scopes;
        await ReadMetaPausesAsync(connection, report);
        if (credential.AccessTokenExpiresAt <= now)
        {
            // As the refresher's check: an Instagram Login token past its 60 days cannot be refreshed any more (§14.4).
            report.TokenValid = false;
            await MarkDeadAsync(connection, report, new RefreshFailure(RefreshFailureClass.Definitive, "token_expired", "instagram token expired"), now, ct);
            return;
        }
        try
        {
            var (account, limit, usage) = await instagram.CheckAsync(vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken), now.AddDays(-1), ct);
            report.TokenValid = true;
            report.Usage(usage, connection.AccountId);
            report.InstagramLimit = limit;
            if (account.UserId != connection.AccountId)
                report.Reconnect(ErrorCatalog.ReauthRequired, "account_changed");
            else if (account.AccountType is { } type && !ProfessionalAccountTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
                report.Block(ErrorCatalog.PlatformRejected);
        }
        catch (MetaApiException ex) when (RefreshFailure.FromMeta(ex.Code, ex.Subcode, ex.MetaIsTransient, ex.Status) is { Class: RefreshFailureClass.Definitive } failure)
        {
            report.TokenValid = failure.Reason == "permission_revoked";
            if (failure.Reason == "permission_revoked") report.Reconnect(ErrorCatalog.InsufficientPermissions, failure.Reason);
            else await MarkDeadAsync(connection, report, failure, now, ct);
        }
    }

    // ---- Google / YouTube ----------------------------------------------------------------------------------------------

    private async Task CheckGoogleAsync(Connection connection, Report report, CancellationToken ct)
    {
        var credential = connection.Credential!;
        var info = credential.AccessTokenExpiresAt is { } expires && expires - time.GetUtcNow() >= GoogleMargin
            ? await google.TokenInfoAsync(vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken), ct)
            : null;
        if (info is null)
        {
            // Expired, or refused before its time (a revoked grant): the refresh proves the grant alive or dead. A margin
            // longer than an access token lives makes it refresh whatever the stored expiry says.
            try
            {
                credential = await refresher.RefreshAsync(credential.Id, TimeSpan.FromDays(1), ct);
            }
            catch (ConnectionUnusableException unusable) when (unusable.Error == ErrorCatalog.ReauthRequired)
            {
                // The refresh path marked the grant dead (RecordFailureAsync), as the refresher's own check would.
                report.TokenValid = false;
                report.Status = ConnectionStatuses.ReauthRequired;
                report.Reconnect(ErrorCatalog.ReauthRequired, await ReauthReasonAsync(connection.Id, ct));
                return;
            }
            catch (ConnectionUnusableException)
            {
                report.CheckError = ErrorCatalog.PlatformUnavailable.Code;
                return;
            }
            info = await google.TokenInfoAsync(vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken), ct);
            if (info is null)
            {
                report.TokenValid = false;
                report.Reconnect(ErrorCatalog.ReauthRequired, "token_rejected");
                return;
            }
        }
        report.TokenValid = true;
        report.ExpiresAt = info.ExpiresAt ?? credential.AccessTokenExpiresAt;
        report.ScopesGranted = info.Scopes;
        report.GoogleScopes = true;
        if (report.Missing.Count > 0) return;
        await CheckChannelAsync(connection, vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken), report, ct);
    }

    /// <summary><c>channels?mine=true</c> still lists the connection's channel; remembered for <see cref="ConnectionHealthOptions.ChannelCheckTtl"/>.</summary>
    private async Task CheckChannelAsync(Connection connection, string token, Report report, CancellationToken ct)
    {
        var key = ConnectionHealthService.ChannelKey(connection.Id);
        if (await TryRedisAsync(() => redis.GetDatabase().KeyExistsAsync(key))) return;
        IReadOnlyList<YouTubeChannel> channels;
        try
        {
            channels = await google.ListMyChannelsAsync(token, ct);
        }
        catch (YouTubeApiException ex) when (ex.Reason is "insufficientPermissions" or "forbidden")
        {
            report.Reconnect(ErrorCatalog.InsufficientPermissions, ex.Reason);
            return;
        }
        if (channels.All(c => c.Id != connection.AccountId))
        {
            report.Reconnect(ErrorCatalog.YouTubeChannelRequired, "channel_not_found");
            return;
        }
        await TryRedisAsync(() => redis.GetDatabase().StringSetAsync(key, "1", options.Value.ChannelCheckTtl));
    }

    // ---- Budgets (read only) -----------------------------------------------------------------------------------------

    private async Task ReadYouTubeBudgetsAsync(Report report)
    {
        try
        {
            var reading = await budgets.ReadYouTubeAsync();
            report.YouTube = reading;
            foreach (var pause in new[] { reading.UploadsPause, reading.UnitsPause }.OfType<BudgetPause>())
                report.Pauses.Add(pause);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogBudgetsUnavailable(logger, ex.GetType().Name);
        }
    }

    private async Task ReadMetaPausesAsync(Connection connection, Report report)
    {
        try
        {
            foreach (var scope in new[] { PlatformBudgetKeys.MetaApp, PlatformBudgetKeys.MetaAccount(connection.AccountId) })
                if (await budgets.ReadPauseAsync(scope) is { } pause) report.Pauses.Add(pause);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogBudgetsUnavailable(logger, ex.GetType().Name);
        }
    }

    // ---- Marking a dead grant ----------------------------------------------------------------------------------------

    /// <summary>
    /// A definitive failure marks the grant dead through the refresher's own path: in one transaction, under the row lock
    /// of the grant's root credential (a Page token's user token), skipped when someone already did. Every connection of
    /// the grant becomes reauth_required with its <c>connection.reauth_required</c> event, its queued jobs fail.
    /// </summary>
    private async Task MarkDeadAsync(Connection connection, Report report, RefreshFailure failure, DateTimeOffset now, CancellationToken ct)
    {
        report.Reconnect(ErrorCatalog.ReauthRequired, failure.Reason);
        if (failure.Class != RefreshFailureClass.Definitive) return;
        var rootId = connection.Credential!.ParentCredentialId ?? connection.Credential.Id;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await refresher.LockAsync(rootId, ct) is { InvalidatedAt: null } root)
            {
                await refresher.RecordFailureAsync(root, failure, now, ct);
                await db.SaveChangesAsync(ct);
            }
            await tx.CommitAsync(ct);
        });
        report.Status = ConnectionStatuses.ReauthRequired;
        LogMarkedDead(logger, connection.Id, failure.Reason);
    }

    private Task<string?> ReauthReasonAsync(Guid connectionId, CancellationToken ct) =>
        db.Connections.AsNoTracking().Where(c => c.Id == connectionId).Select(c => c.ReauthReason).SingleOrDefaultAsync(ct);

    private async Task<T?> TryRedisAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogBudgetsUnavailable(logger, ex.GetType().Name);
            return default;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check of connection {ConnectionId} ({Platform}) could not finish: {Reason}.")]
    private static partial void LogCheckFailed(ILogger logger, Guid connectionId, string platform, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check of connection {ConnectionId} found its grant dead ({Reason}); the grant's connections are reauth_required.")]
    private static partial void LogMarkedDead(ILogger logger, Guid connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({ErrorType}); health answers without Orbyt's budgets and caches.")]
    private static partial void LogBudgetsUnavailable(ILogger logger, string errorType);

    /// <summary>What one check has found so far, turned into the answer by <see cref="Build"/>.</summary>
    private sealed class Report(Connection connection)
    {
        public string Status { get; set; } = connection.Status;
        public bool? TokenValid { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public DateTimeOffset? DataAccessExpiresAt { get; set; }
        public IReadOnlyList<string> ScopesGranted { get; set; } = [];
        public bool GoogleScopes { get; set; }
        public List<string> NotGrantedHere { get; } = [];
        public string? CheckError { get; set; }
        public InstagramPublishingLimit? InstagramLimit { get; set; }
        public FacebookReelWindow? FacebookReels { get; set; }
        public YouTubeBudgetReading? YouTube { get; set; }
        public List<BudgetPause> Pauses { get; } = [];
        private int? _appPercent, _accountPercent, _regain;
        private ErrorDefinition? _reconnect;
        private string? _reasonDetail;
        private ErrorDefinition? _block;

        public List<string> Missing
        {
            get
            {
                var required = RequiredScopes(connection);
                var missing = GoogleScopes || connection.Platform == PlatformNames.YouTube
                    ? PlatformScopes.Missing(PlatformNames.YouTube, ScopesGranted).ToList()
                    : required.Except(ScopesGranted).ToList();
                missing.AddRange(NotGrantedHere.Intersect(required).Except(missing));
                return missing;
            }
        }

        public void Reconnect(ErrorDefinition reason, string? detail)
        {
            _reconnect ??= reason;
            _reasonDetail ??= detail;
        }

        public void Block(ErrorDefinition reason) => _block ??= reason;

        public void Usage(MetaUsageReport usage, string accountId)
        {
            if (usage.AppMaxPercent is { } app) _appPercent = app;
            foreach (var b in usage.Business.Where(b => b.ObjectId == accountId))
            {
                _accountPercent = Math.Max(_accountPercent ?? 0, b.MaxPercent);
                _regain = Math.Max(_regain ?? 0, b.RegainMinutes);
            }
        }

        public ConnectionHealthResponse Build(DateTimeOffset? checkedAt, bool cached)
        {
            var missing = TokenValid == true ? Missing : [];
            if (missing.Count > 0) Reconnect(ErrorCatalog.InsufficientPermissions, "scopes_missing");
            InstagramQuota? instagramQuota = InstagramLimit is { } l
                ? new InstagramQuota(l.QuotaUsage, l.QuotaTotal, Math.Max(0, l.QuotaTotal - l.QuotaUsage), l.QuotaDurationSeconds) : null;
            YouTubeQuota? youtubeQuota = YouTube is { } y
                ? new YouTubeQuota(y.UploadsUsed, y.UploadsLimit, Math.Max(0, y.UploadsLimit - y.UploadsUsed), y.UnitsUsed, y.UnitsLimit, Math.Max(0, y.UnitsLimit - y.UnitsUsed), y.ResetsAt)
                : null;
            FacebookReelQuota? reelQuota = FacebookReels is { } r
                ? new FacebookReelQuota(r.Used, FacebookReelWindow.ReelsPerPagePerDay, r.Left, (long)FacebookReelWindow.Length.TotalSeconds,
                    r.Left == 0 && r.Oldest is { } oldest ? oldest + FacebookReelWindow.Length : null)
                : null;
            MetaUsage? usage = _appPercent is null && _accountPercent is null ? null : new MetaUsage(_appPercent, _accountPercent, _regain);

            // Why nothing can be published now, most fundamental first.
            var blocked = _reconnect?.Code
                ?? (TokenValid is null ? CheckError ?? ErrorCatalog.PlatformUnavailable.Code : null)
                ?? (Pauses.Any(p => p.Reason == PlatformBudgetKeys.InstagramAccountRestricted) ? ErrorCatalog.PlatformAccountRestricted.Code : null)
                ?? (instagramQuota is { PostsLeft: 0 } ? ErrorCatalog.InstagramPublishingLimitReached.Code : null)
                ?? (connection.Platform == PlatformNames.YouTube && (youtubeQuota is { UploadsLeft: 0 } or { UnitsLeft: 0 } || Pauses.Any(p => p.Scope.StartsWith("youtube:", StringComparison.Ordinal)))
                    ? ErrorCatalog.YouTubeQuotaExceeded.Code : null)
                ?? _block?.Code;
            var formats = ContentFormats.ByPlatform[connection.Platform].ToDictionary(f => f, f =>
                blocked is null && f == ContentFormats.Reel && reelQuota is { ReelsLeft: 0 }
                    ? new FormatHealth(false, ErrorCatalog.FacebookReelLimitReached.Code)
                    : new FormatHealth(blocked is null, blocked));
            return new ConnectionHealthResponse(
                connection.Id, connection.Platform, connection.Login, Status, checkedAt, cached, TokenValid, ExpiresAt, DataAccessExpiresAt,
                ScopesGranted.Order(StringComparer.Ordinal).ToArray(), RequiredScopes(connection), missing, formats, FirstComment(blocked),
                _reconnect is not null, _reconnect?.Code, _reconnect is null ? null : _reasonDetail, CheckError,
                new HealthQuota(instagramQuota, reelQuota, youtubeQuota, usage),
                Pauses.Select(p => new HealthPause(p.Scope, p.Until, p.Reason)).ToArray());
        }

        /// <summary>
        /// Whether a first comment would be made under a post published now: not where nothing can be published, nor on
        /// YouTube (Orbyt makes no YouTube comments), nor without the comment permission on this account — a missing comment
        /// permission blocks only the comment (create refuses first_comment with first_comment_permission_missing), so it is
        /// not in scopes_missing and asks for no reconnect.
        /// </summary>
        private FormatHealth FirstComment(string? blocked)
        {
            if (PlatformScopes.Comment(connection.Platform, connection.Login) is not { } scope)
                return new FormatHealth(false, ErrorCatalog.FirstCommentNotSupported.Code);
            if (blocked is not null)
                return new FormatHealth(false, blocked);
            return !ScopesGranted.Contains(scope) || NotGrantedHere.Contains(scope)
                ? new FormatHealth(false, ErrorCatalog.FirstCommentPermissionMissing.Code)
                : new FormatHealth(true, null);
        }
    }
}
