using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Core.RateLimits;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>
/// Instagram API with Instagram Login (reference §14): the authorization window URL, api.instagram.com's code exchange,
/// and graph.instagram.com's long-lived exchange, refresh and <c>/me</c>. The API connects with it, the refresher
/// refreshes with it. Errors become <see cref="MetaApiException"/>: graph.instagram.com writes the Graph envelope,
/// api.instagram.com its own <c>{error_type, code, error_message}</c>.
/// </summary>
public sealed class InstagramLoginClient(HttpClient http, IOptions<MetaOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private MetaOptions Options => options.Value;

    /// <summary>Whether the Instagram app is configured (its id and secret): without it Instagram Login is not offered.</summary>
    public bool IsConfigured => Options.InstagramAppId.Length > 0 && Options.InstagramAppSecret.Length > 0;

    /// <summary><c>www.instagram.com/oauth/authorize</c> (§14.1): the Business Login window, scopes comma-separated.</summary>
    public Uri BuildAuthorizeUrl(string redirectUri, string state, IEnumerable<string> scopes) =>
        new(Options.InstagramAuthorizeBaseUrl, "oauth/authorize" + MetaGraphClient.Query(
            ("client_id", Options.InstagramAppId), ("redirect_uri", redirectUri), ("response_type", "code"),
            ("scope", string.Join(',', scopes)), ("state", state)));

    /// <summary>
    /// Code → short-lived token (§14.2), read from the documented <c>{"data":[{…}]}</c> or the observed flat object;
    /// <c>user_id</c> may be a number or a string, <c>permissions</c> a comma-separated string or an array.
    /// </summary>
    public async Task<InstagramShortLivedToken> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = Options.InstagramAppId, ["client_secret"] = Options.InstagramAppSecret,
            ["grant_type"] = "authorization_code", ["redirect_uri"] = redirectUri, ["code"] = code,
        });
        using var response = await http.PostAsync(new Uri(Options.InstagramApiBaseUrl, "oauth/access_token"), content, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw ParseError(response.StatusCode, body);
        using var doc = JsonDocument.Parse(body);
        var entry = doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0
            ? data[0] : doc.RootElement;
        var token = entry.TryGetProperty("access_token", out var t) ? t.GetString() : null;
        if (string.IsNullOrEmpty(token))
            throw new JsonException("The code exchange answered without an access_token.");
        return new InstagramShortLivedToken(token, Text(entry, "user_id"), Permissions(entry));
    }

    /// <summary>Short-lived → long-lived (60 days) with <c>ig_exchange_token</c> (§14.3).</summary>
    public Task<MetaTokenResponse> ExchangeForLongLivedTokenAsync(string shortLivedToken, CancellationToken ct) =>
        GetAsync<MetaTokenResponse>(new Uri(Options.InstagramGraphBaseUrl, "access_token"), ct,
            ("grant_type", "ig_exchange_token"), ("client_secret", Options.InstagramAppSecret), ("access_token", shortLivedToken));

    /// <summary><c>ig_refresh_token</c> (§14.4): a long-lived token at least 24 h old and unexpired → a new one, valid 60 days.</summary>
    public Task<MetaTokenResponse> RefreshAsync(string longLivedToken, CancellationToken ct) =>
        GetAsync<MetaTokenResponse>(new Uri(Options.InstagramGraphBaseUrl, "refresh_access_token"), ct,
            ("grant_type", "ig_refresh_token"), ("access_token", longLivedToken));

    /// <summary><c>GET /me</c> (§14.5): <c>user_id</c> is the professional account id publishing paths take.</summary>
    public async Task<InstagramProfessionalAccount> GetMeAsync(string token, CancellationToken ct)
    {
        var me = await GetAsync<JsonElement>(new Uri(Options.InstagramGraphBaseUrl, $"{Options.GraphVersion}/me"), ct,
            ("fields", "user_id,username,name,account_type,profile_picture_url"), ("access_token", token));
        return new InstagramProfessionalAccount(
            Text(me, "user_id") ?? throw new JsonException("/me answered without user_id."),
            Text(me, "username"), Text(me, "name"), Text(me, "account_type"), Text(me, "profile_picture_url"));
    }

    /// <summary>
    /// <c>GET /me</c> and <c>GET /{ig-user-id}/content_publishing_limit</c> on graph.instagram.com (§14.5, §14.6): the
    /// account behind the token, its publishing quota, and the usage headers of the quota answer. A dead token throws
    /// the Graph error (190).
    /// </summary>
    public async Task<(InstagramProfessionalAccount Account, InstagramPublishingLimit Limit, MetaUsageReport Usage)> CheckAsync(
        string token, DateTimeOffset since, CancellationToken ct)
    {
        var account = await GetMeAsync(token, ct);
        var url = new Uri(Options.InstagramGraphBaseUrl, $"{Options.GraphVersion}/{account.UserId}/content_publishing_limit") + MetaGraphClient.Query(
            ("fields", "quota_usage,config"), ("since", since.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("access_token", token));
        using var response = await http.GetAsync(url, ct);
        var usage = MetaUsageReport.From(response);
        await MetaGraphClient.EnsureSuccessAsync(response, usage, ct);
        return (account, InstagramPublishingLimit.Read(await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct)), usage);
    }

    private async Task<T> GetAsync<T>(Uri url, CancellationToken ct, params (string Name, string Value)[] parameters)
    {
        using var response = await http.GetAsync(url + MetaGraphClient.Query(parameters), ct);
        await MetaGraphClient.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    /// <summary>api.instagram.com's <c>{"error_type","code","error_message"}</c>, or a Graph envelope, as a <see cref="MetaApiException"/>.</summary>
    public static MetaApiException ParseError(HttpStatusCode status, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_message", out var message))
            {
                var code = root.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : (int)status;
                return new MetaApiException(status, code, null, message.GetString() ?? "",
                    root.TryGetProperty("error_type", out var type) ? type.GetString() : null, null, (int)status >= 500, null);
            }
        }
        catch (JsonException)
        {
            // Not JSON: the Graph parser says what it can.
        }
        return MetaGraphClient.ParseError(status, body);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>The granted permissions, or null when the answer does not say (then /me is the check).</summary>
    private static string[]? Permissions(JsonElement entry)
    {
        if (!entry.TryGetProperty("permissions", out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JsonValueKind.Array => [.. value.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetRawText())],
            _ => null,
        };
    }
}

/// <summary>What the code exchange gives: the short-lived token, the Instagram-scoped user id and the granted permissions (null: not said).</summary>
public sealed record InstagramShortLivedToken(string AccessToken, string? ScopedUserId, string[]? Permissions);

/// <summary>The professional account an Instagram Login token belongs to (<c>/me</c>).</summary>
public sealed record InstagramProfessionalAccount(string UserId, string? Username, string? Name, string? AccountType, string? ProfilePictureUrl);
