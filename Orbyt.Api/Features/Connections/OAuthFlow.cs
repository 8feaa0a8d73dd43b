using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Api.Problems;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Vault;

namespace Orbyt.Api.Features.Connections;

/// <summary>
/// The OAuth connection flow (docs/connections.md): a single-use, expiring state bound to client, user, platform
/// and return URL (with a PKCE verifier for Google); the callback consumes the state atomically before any code
/// is exchanged, then discovers the publishable accounts and upserts one connection per account.
/// </summary>
public sealed partial class OAuthFlow(
    OrbytDbContext db,
    ITokenVault vault,
    MetaGraphClient meta,
    MetaPageDiscovery metaPages,
    InstagramLoginClient instagram,
    GoogleOAuthClient google,
    ConnectionWriter writer,
    IOptions<OAuthOptions> options,
    TimeProvider time,
    ILogger<OAuthFlow> logger)
{
    private OAuthOptions Options => options.Value;

    public async Task<(Uri Url, DateTimeOffset ExpiresAt)> StartAsync(Guid clientId, string userId, string platform, string? login, string returnUrl, CancellationToken ct,
        IReadOnlyCollection<string>? features = null)
    {
        login ??= ConnectionLogins.For(platform)[0];
        if (login == ConnectionLogins.Instagram && !instagram.IsConfigured)
            throw new ApiProblemException(ErrorCatalog.LoginNotAvailable,
                "Instagram Login is not configured on this Orbyt (Platforms:Meta:InstagramAppId and InstagramAppSecret); use login=facebook.");
        var client = await db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == clientId, ct);
        if (!IsAllowedReturnUrl(returnUrl, client.AllowedReturnUrls))
            throw new ApiProblemException(ErrorCatalog.ReturnUrlNotAllowed,
                "return_url must start with one of this API client's allowed return URLs (PATCH /v1/client to configure them).");

        var now = time.GetUtcNow();
        var state = Base64Url(RandomNumberGenerator.GetBytes(32));
        string? verifier = platform == PlatformNames.YouTube ? Base64Url(RandomNumberGenerator.GetBytes(48)) : null;
        var row = new OAuthState
        {
            Id = Guid.CreateVersion7(now),
            StateHash = Hash(state),
            ClientId = clientId,
            UserId = userId,
            Platform = platform,
            Login = login,
            ReturnUrl = returnUrl,
            CodeVerifierCiphertext = verifier is null ? null : vault.Protect(verifier, VaultPurposes.PkceVerifier),
            CreatedAt = now,
            ExpiresAt = now + Options.StateLifetime,
        };
        db.OAuthStates.Add(row);
        await db.SaveChangesAsync(ct);

        var redirectUri = Options.RedirectUri(platform);
        Uri url;
        if (platform == PlatformNames.YouTube)
        {
            // The playlist scope is asked only when the client opts in (features): youtube.upload alone cannot add to playlists.
            var scopes = features?.Contains(ConnectionFeatures.YouTubePlaylists) == true ? [.. PlatformScopes.YouTube, .. PlatformScopes.YouTubePlaylists] : PlatformScopes.YouTube;
            url = google.BuildAuthorizationUrl(redirectUri, state, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier!))), scopes);
        }
        else if (login == ConnectionLogins.Instagram)
        {
            url = instagram.BuildAuthorizeUrl(redirectUri, state, Options.InstagramLoginScopes.Union(PlatformScopes.InstagramLogin));
        }
        else
        {
            var flow = Options.MetaLogin(platform);
            url = meta.BuildDialogUrl(redirectUri, state, flow.Scopes, flow.ConfigId, await DeclinedLastTimeAsync(clientId, userId, platform, row.Id, ct));
        }
        return (url, row.ExpiresAt);
    }

    /// <summary>
    /// Whether this user's last completed Meta consent on the platform declined a permission: Meta's dialog asks for a
    /// declined permission again only with <c>auth_type=rerequest</c> (reference §1.1), so without it a reconnect could
    /// never get it back.
    /// </summary>
    private async Task<bool> DeclinedLastTimeAsync(Guid clientId, string userId, string platform, Guid current, CancellationToken ct)
    {
        var last = await db.OAuthStates.AsNoTracking()
            .Where(s => s.ClientId == clientId && s.UserId == userId && s.Platform == platform && s.Login == ConnectionLogins.Facebook
                && s.ConsumedAt != null && s.Id != current)
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => s.DeclinedPermissions)
            .FirstOrDefaultAsync(ct);
        return last is { Count: > 0 };
    }

    public async Task<CallbackOutcome> CompleteAsync(string platform, IQueryCollection query, CancellationToken ct)
    {
        var stateValue = query["state"].ToString();
        if (string.IsNullOrEmpty(stateValue))
            return new CallbackOutcome.Problem(ErrorCatalog.OAuthStateInvalid, "The callback carries no state.");

        var state = await db.OAuthStates.AsNoTracking().SingleOrDefaultAsync(s => s.StateHash == Hash(stateValue), ct);
        if (state is null)
            return new CallbackOutcome.Problem(ErrorCatalog.OAuthStateInvalid, "The state is unknown. Start the connection again with POST /v1/connections/{platform}/authorize.");

        // Consume first, atomically: a replayed, forged-platform or expired state never reaches a code exchange.
        var now = time.GetUtcNow();
        var consumed = await db.OAuthStates.Where(s => s.Id == state.Id && s.ConsumedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsumedAt, now), ct);
        if (consumed == 0)
            return Fail(state, ErrorCatalog.OAuthStateReplayed);
        if (state.Platform != platform)
            return Fail(state, ErrorCatalog.OAuthStateInvalid);
        if (state.ExpiresAt <= now)
            return Fail(state, ErrorCatalog.OAuthStateExpired);
        if (!string.IsNullOrEmpty(query["error"]))
            return Fail(state, query["error"] == "access_denied" ? ErrorCatalog.OAuthAccessDenied : ErrorCatalog.OAuthExchangeFailed);
        var code = query["code"].ToString();
        if (string.IsNullOrEmpty(code))
            return Fail(state, ErrorCatalog.OAuthExchangeFailed);

        try
        {
            var connections = platform == PlatformNames.YouTube ? await ConnectYouTubeAsync(state, code, query["scope"].ToString(), ct)
                : state.Login == ConnectionLogins.Instagram ? await ConnectInstagramLoginAsync(state, code, ct)
                : await ConnectMetaAsync(state, code, ct);
            return new CallbackOutcome.Redirect(AppendQuery(state.ReturnUrl,
                ("status", "connected"), ("platform", platform), ("connection_ids", string.Join(',', connections.Select(c => c.Id)))));
        }
        catch (ConnectFailedException ex)
        {
            LogConnectFailed(logger, platform, ex.Error.Code, ex.Message);
            return Fail(state, ex.Error);
        }
        catch (PlatformException ex)
        {
            LogPlatformFailed(logger, platform, ex.Platform, (int)ex.Status, ex.GetType().Name);
            return Fail(state, ErrorCatalog.OAuthExchangeFailed);
        }
        catch (HttpRequestException ex)
        {
            LogPlatformFailed(logger, platform, platform, 0, ex.GetType().Name);
            return Fail(state, ErrorCatalog.OAuthExchangeFailed);
        }
    }

    private async Task<IReadOnlyList<Connection>> ConnectMetaAsync(OAuthState state, string code, CancellationToken ct)
    {
        var redirectUri = Options.RedirectUri(state.Platform);
        var shortLived = await meta.ExchangeCodeAsync(code, redirectUri, ct);
        var longLived = await meta.ExchangeForLongLivedTokenAsync(shortLived.AccessToken, ct);
        var debug = await meta.DebugTokenAsync(longLived.AccessToken, ct);
        if (!debug.IsValid || debug.UserId is null)
            throw new ConnectFailedException(ErrorCatalog.OAuthExchangeFailed, "Meta reported the new token as invalid.");

        var granted = debug.Scopes ?? [];
        // What was asked and not granted counts as declined, an earlier grant of it included: the next reconnect re-asks.
        var login = Options.MetaLogin(state.Platform);
        var declined = (login.ConfigId is { Length: > 0 } ? PlatformScopes.Required(state.Platform) : login.Scopes).Except(granted).ToList();
        await db.OAuthStates.Where(s => s.Id == state.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.DeclinedPermissions, declined), ct);
        var missing = PlatformScopes.Missing(state.Platform, granted);
        if (missing.Length > 0)
            throw new ConnectFailedException(ErrorCatalog.InsufficientPermissions, $"Missing permissions: {string.Join(", ", missing)}.");

        // Pages with a Page role of the person's own, and those reached through a Business Portfolio (§11); a Page listed
        // without a Page token, or without a task that can post, is not connectable.
        var pages = (await metaPages.DiscoverAsync(longLived.AccessToken, debug, ct))
            .Where(p => p.Page.AccessToken is not null && (p.Page.Tasks is null || p.Page.Tasks.Contains("CREATE_CONTENT") || p.Page.Tasks.Contains("MANAGE")))
            .ToArray();
        // Instagram through a portfolio role also needs ads_management or ads_read (§11.7).
        var adsGranted = granted.Contains("ads_management") || granted.Contains("ads_read");
        var accounts = state.Platform == PlatformNames.Facebook
            ? pages.Select(p => new DiscoveredAccount(p.Page.Id, p.Page.Name, null, null, p.Page.Id, p.Page.AccessToken!)).ToArray()
            : pages.Where(p => p.Page.InstagramBusinessAccount is not null && (p.ThroughPageRole || adsGranted))
                .Select(p => InstagramAccountOf(p.Page))
                .ToArray();
        if (accounts.Length == 0)
            throw new ConnectFailedException(ErrorCatalog.NoPublishableAccounts, state.Platform == PlatformNames.Facebook
                ? "The account granted no Facebook Page it can publish to."
                : "None of the granted Pages has a linked Instagram professional account (one reached through a Business Portfolio also needs ads_read or ads_management).");

        var now = time.GetUtcNow();
        var grant = new MetaGrant(
            debug.UserId,
            longLived.AccessToken,
            longLived.ExpiresIn is > 0 ? now.AddSeconds(longLived.ExpiresIn.Value) : FromUnix(debug.ExpiresAt),
            FromUnix(debug.DataAccessExpiresAt),
            granted);
        return await writer.UpsertMetaAsync(state.ClientId, state.UserId, state.Platform, grant, accounts, ct);
    }

    /// <summary>
    /// Instagram Login (reference §14): code → short-lived token (with the granted permissions) → long-lived token (60
    /// days) → <c>/me</c> for the professional account id. One connection, published to on graph.instagram.com with the
    /// Instagram User token itself; no Page is involved.
    /// </summary>
    private async Task<IReadOnlyList<Connection>> ConnectInstagramLoginAsync(OAuthState state, string code, CancellationToken ct)
    {
        var shortLived = await instagram.ExchangeCodeAsync(code, Options.RedirectUri(state.Platform), ct);
        if (shortLived.Permissions is { } permissions && PlatformScopes.InstagramLogin.Except(permissions).ToArray() is { Length: > 0 } missing)
            throw new ConnectFailedException(ErrorCatalog.InsufficientPermissions, $"Missing permissions: {string.Join(", ", missing)}.");
        var longLived = await instagram.ExchangeForLongLivedTokenAsync(shortLived.AccessToken, ct);
        var account = await instagram.GetMeAsync(longLived.AccessToken, ct);
        var now = time.GetUtcNow();
        var grant = new InstagramLoginGrant(account, longLived.AccessToken,
            now.AddSeconds(longLived.ExpiresIn is > 0 ? longLived.ExpiresIn.Value : InstagramLoginGrant.DefaultLifetimeSeconds),
            shortLived.Permissions ?? PlatformScopes.InstagramLogin);
        return [await writer.UpsertInstagramLoginAsync(state.ClientId, state.UserId, grant, ct)];
    }

    private static DiscoveredAccount InstagramAccountOf(MetaPage page)
    {
        var ig = page.InstagramBusinessAccount!;
        return new DiscoveredAccount(ig.Id, ig.Name ?? ig.Username, ig.Username, ig.ProfilePictureUrl, page.Id, page.AccessToken!);
    }

    private async Task<IReadOnlyList<Connection>> ConnectYouTubeAsync(OAuthState state, string code, string scopeParameter, CancellationToken ct)
    {
        // Granular consent: the user may have unticked a scope; the redirect's scope says what was granted.
        if (!string.IsNullOrEmpty(scopeParameter) && PlatformScopes.Missing(PlatformNames.YouTube, scopeParameter.Split(' ', StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } missingEarly)
            throw new ConnectFailedException(ErrorCatalog.InsufficientPermissions, $"Missing permissions: {string.Join(", ", missingEarly)}.");

        var verifier = vault.Unprotect(state.CodeVerifierCiphertext!, VaultPurposes.PkceVerifier);
        var tokens = await google.ExchangeCodeAsync(code, Options.RedirectUri(PlatformNames.YouTube), verifier, ct);
        var granted = (tokens.Scope ?? scopeParameter).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var missing = PlatformScopes.Missing(PlatformNames.YouTube, granted);
        if (missing.Length > 0)
        {
            await RevokeQuietlyAsync(tokens.RefreshToken ?? tokens.AccessToken, ct);
            throw new ConnectFailedException(ErrorCatalog.InsufficientPermissions, $"Missing permissions: {string.Join(", ", missing)}.");
        }

        var channels = await google.ListMyChannelsAsync(tokens.AccessToken, ct);
        if (channels.Count == 0)
        {
            // We will not keep a grant we cannot use.
            await RevokeQuietlyAsync(tokens.RefreshToken ?? tokens.AccessToken, ct);
            throw new ConnectFailedException(ErrorCatalog.YouTubeChannelRequired, "The Google account has no YouTube channel.");
        }

        var now = time.GetUtcNow();
        var grant = new GoogleGrant(
            channels[0].Id,
            tokens.AccessToken,
            tokens.RefreshToken,
            now.AddSeconds(tokens.ExpiresIn ?? 3599),
            tokens.RefreshTokenExpiresIn is > 0 ? now.AddSeconds(tokens.RefreshTokenExpiresIn.Value) : null,
            granted);
        return await writer.UpsertYouTubeAsync(state.ClientId, state.UserId, grant, channels, ct);
    }

    private async Task RevokeQuietlyAsync(string token, CancellationToken ct)
    {
        try
        {
            await google.RevokeAsync(token, ct);
        }
        catch (Exception ex) when (ex is PlatformException or HttpRequestException)
        {
            LogRevokeFailed(logger, ex.GetType().Name);
        }
    }

    private static CallbackOutcome Fail(OAuthState state, ErrorDefinition error) =>
        new CallbackOutcome.Redirect(AppendQuery(state.ReturnUrl, ("status", "error"), ("platform", state.Platform), ("error_code", error.Code)));

    /// <summary>return_url must share scheme, host and port with an allowed prefix and continue its path.</summary>
    public static bool IsAllowedReturnUrl(string returnUrl, IEnumerable<string> allowedPrefixes)
    {
        if (!Uri.TryCreate(returnUrl, UriKind.Absolute, out var target) || target.UserInfo.Length > 0
            || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp) || target.Fragment.Length > 0)
            return false;
        foreach (var prefix in allowedPrefixes)
        {
            if (!Uri.TryCreate(prefix, UriKind.Absolute, out var allowed)) continue;
            if (target.Scheme == allowed.Scheme && string.Equals(target.IdnHost, allowed.IdnHost, StringComparison.OrdinalIgnoreCase)
                && target.Port == allowed.Port && target.AbsolutePath.StartsWith(allowed.AbsolutePath, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static string AppendQuery(string url, params (string Name, string Value)[] parameters)
    {
        var separator = url.Contains('?') ? '&' : '?';
        return url + separator + string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));
    }

    private static DateTimeOffset? FromUnix(long? seconds) => seconds is > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value) : null;

    private static byte[] Hash(string state) => SHA256.HashData(Encoding.UTF8.GetBytes(state));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting {Platform} ended with {ErrorCode}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string platform, string errorCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connecting {Platform} failed at {Provider} (HTTP {Status}, {ErrorType}).")]
    private static partial void LogPlatformFailed(ILogger logger, string platform, string provider, int status, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoking an unusable Google grant failed ({ErrorType}).")]
    private static partial void LogRevokeFailed(ILogger logger, string errorType);
}
