using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orbyt.Core.RateLimits;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>
/// Typed client for graph.facebook.com (or the sandbox's /graph/). Every error envelope becomes a
/// <see cref="MetaApiException"/>. Tokens travel in the query (as Meta documents) and are never logged: the
/// HTTP instrumentation redacts query values.
/// </summary>
public sealed class MetaGraphClient(HttpClient http, IOptions<MetaOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private MetaOptions Options => options.Value;

    /// <summary>
    /// The login dialog URL the browser is sent to (reference §1.1): <c>scope</c>, or with Facebook Login for Business a
    /// <c>config_id</c> instead (and <c>override_default_response_type=true</c>, which system-user configurations need to
    /// answer with a code); <c>auth_type=rerequest</c> when a permission declined before must be asked for again.
    /// </summary>
    public Uri BuildDialogUrl(string redirectUri, string state, IEnumerable<string> scopes, string? configId = null, bool rerequest = false)
    {
        var parameters = new List<(string, string)>
        {
            ("client_id", Options.AppId), ("redirect_uri", redirectUri), ("state", state), ("response_type", "code"),
        };
        if (configId is { Length: > 0 })
        {
            parameters.Add(("config_id", configId));
            parameters.Add(("override_default_response_type", "true"));
        }
        else
        {
            parameters.Add(("scope", string.Join(',', scopes)));
        }
        if (rerequest) parameters.Add(("auth_type", "rerequest"));
        return new(Options.DialogBaseUrl, $"{Options.GraphVersion}/dialog/oauth" + Query([.. parameters]));
    }

    public Task<MetaTokenResponse> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct) =>
        GetAsync<MetaTokenResponse>("oauth/access_token", ct,
            ("client_id", Options.AppId), ("client_secret", Options.AppSecret), ("redirect_uri", redirectUri), ("code", code));

    public Task<MetaTokenResponse> ExchangeForLongLivedTokenAsync(string shortLivedToken, CancellationToken ct) =>
        GetAsync<MetaTokenResponse>("oauth/access_token", ct,
            ("grant_type", "fb_exchange_token"), ("client_id", Options.AppId), ("client_secret", Options.AppSecret), ("fb_exchange_token", shortLivedToken));

    public async Task<MetaDebugToken> DebugTokenAsync(string inputToken, CancellationToken ct)
    {
        var envelope = await GetAsync<JsonElement>("debug_token", ct, ("input_token", inputToken), ("access_token", Options.AppAccessToken));
        return envelope.GetProperty("data").Deserialize<MetaDebugToken>(Json)!;
    }

    /// <summary>debug_token with the usage headers of its answer (an app-token call: Meta counts it on the app, <c>X-App-Usage</c>).</summary>
    public async Task<(MetaDebugToken Token, MetaUsageReport Usage)> DebugTokenWithUsageAsync(string inputToken, CancellationToken ct)
    {
        var (envelope, usage) = await GetWithUsageAsync<JsonElement>(Path("debug_token"), ct, ("input_token", inputToken), ("access_token", Options.AppAccessToken));
        return (envelope.GetProperty("data").Deserialize<MetaDebugToken>(Json)!, usage);
    }

    /// <summary>
    /// <c>GET /{ig-user-id}/content_publishing_limit</c> (reference §3.6) on graph.facebook.com with a Page token, with the
    /// usage headers of the answer (the account's business-use-case figures).
    /// </summary>
    public async Task<(InstagramPublishingLimit Limit, MetaUsageReport Usage)> GetPublishingLimitAsync(string igUserId, string token, DateTimeOffset since, CancellationToken ct)
    {
        var (body, usage) = await GetWithUsageAsync<JsonElement>(Path($"{igUserId}/content_publishing_limit"), ct,
            ("fields", "quota_usage,config"), ("since", since.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)), ("access_token", token));
        return (InstagramPublishingLimit.Read(body), usage);
    }

    /// <summary>
    /// <c>GET /{page-id}/video_reels?since=&amp;limit=</c> with the Page token: the Page's reels in Meta's 24 h window (the
    /// count the Uploader budgets its reels on), and the call's usage headers. Reaching the Page's edge with its token also
    /// proves the token still works on the Page.
    /// </summary>
    public async Task<(FacebookReelWindow Reels, MetaUsageReport Usage)> GetReelWindowAsync(string pageId, string pageToken, DateTimeOffset now, CancellationToken ct)
    {
        var (body, usage) = await GetWithUsageAsync<JsonElement>(Path($"{pageId}/video_reels"), ct,
            [.. FacebookReelWindow.Query(now - FacebookReelWindow.Length), ("access_token", pageToken)]);
        return (FacebookReelWindow.Read(body), usage);
    }

    /// <summary>A GET on graph.facebook.com whose answer's usage headers matter (<c>X-App-Usage</c>, <c>X-Business-Use-Case-Usage</c>).</summary>
    public async Task<(T Body, MetaUsageReport Usage)> GetWithUsageAsync<T>(string url, CancellationToken ct, params (string Name, string Value)[] parameters)
    {
        using var response = await http.GetAsync(url + Query(parameters), ct);
        var usage = MetaUsageReport.From(response);
        await EnsureSuccessAsync(response, usage, ct);
        return ((await response.Content.ReadFromJsonAsync<T>(Json, ct))!, usage);
    }

    public Task<MetaUser> GetMeAsync(string userToken, CancellationToken ct) =>
        GetAsync<MetaUser>("me", ct, ("fields", "id,name"), ("access_token", userToken));

    /// <summary>The Page fields connect asks for: the Page token, the person's tasks and the linked Instagram account.</summary>
    public const string PageFields = "id,name,access_token,tasks,instagram_business_account{id,username,name,profile_picture_url}";

    /// <summary>How many further pages of one edge are followed (reference §11.6: bound the walk inside the OAuth callback).</summary>
    public const int MaxContinuations = 25;

    /// <summary><c>/me/accounts</c>: the Pages on which the person holds a Page role of their own (all pages followed).</summary>
    public Task<IReadOnlyList<MetaPage>> GetAccountsAsync(string userToken, CancellationToken ct) =>
        GetAllAsync<MetaPage>("me/accounts", userToken, PageFields, ct);

    /// <summary><c>/me/businesses</c>: the Business Portfolios the person is in (needs <c>business_management</c>).</summary>
    public Task<IReadOnlyList<MetaBusiness>> GetBusinessesAsync(string userToken, CancellationToken ct) =>
        GetAllAsync<MetaBusiness>("me/businesses", userToken, "id,name", ct);

    /// <summary>A portfolio's <c>owned_pages</c> or <c>client_pages</c>; a Page without <c>access_token</c> is one the person has no task on.</summary>
    public Task<IReadOnlyList<MetaPage>> GetBusinessPagesAsync(string businessId, string edge, string userToken, CancellationToken ct) =>
        GetAllAsync<MetaPage>($"{businessId}/{edge}", userToken, PageFields, ct);

    /// <summary><c>GET /{page-id}</c> for a Page known only by id (a <c>granular_scopes</c> target): its token when the person has a task on it.</summary>
    public Task<MetaPage> GetPageAsync(string pageId, string userToken, CancellationToken ct) =>
        GetAsync<MetaPage>(pageId, ct, ("fields", "id,name,access_token,instagram_business_account{id,username,name,profile_picture_url}"), ("access_token", userToken));

    /// <summary>Every item of a cursor-paged edge, following <c>paging.next</c> at most <see cref="MaxContinuations"/> times.</summary>
    private async Task<IReadOnlyList<T>> GetAllAsync<T>(string path, string userToken, string fields, CancellationToken ct)
    {
        var items = new List<T>();
        string? after = null;
        for (var continuation = 0; continuation <= MaxContinuations; continuation++)
        {
            var parameters = new List<(string, string)> { ("fields", fields), ("limit", "100"), ("access_token", userToken) };
            if (after is not null) parameters.Add(("after", after));
            var page = await GetAsync<JsonElement>(path, ct, [.. parameters]);
            items.AddRange(page.GetProperty("data").Deserialize<T[]>(Json)!);
            after = page.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out _)
                && paging.TryGetProperty("cursors", out var cursors) && cursors.TryGetProperty("after", out var a)
                ? a.GetString() : null;
            if (after is null) break;
        }
        return items;
    }

    /// <summary>Removes the app's permissions for the user (disconnect at the platform).</summary>
    public async Task RevokePermissionsAsync(string userId, string userToken, CancellationToken ct)
    {
        using var response = await http.DeleteAsync(Path($"{userId}/permissions") + Query(("access_token", userToken)), ct);
        await EnsureSuccessAsync(response, ct);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken ct, params (string Name, string Value)[] parameters)
    {
        using var response = await http.GetAsync(Path(path) + Query(parameters), ct);
        await EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private string Path(string relative) => new Uri(Options.GraphBaseUrl, $"{Options.GraphVersion}/{relative}").ToString();

    /// <summary>A Graph query string, names and values escaped (the Uploader's publishing client builds its GETs with it too).</summary>
    public static string Query(params (string Name, string Value)[] parameters) =>
        "?" + string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value)}"));

    /// <summary>Turns a Graph error envelope into a <see cref="MetaApiException"/>.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw ParseError(response.StatusCode, body);
    }

    /// <summary>As <see cref="EnsureSuccessAsync(HttpResponseMessage, CancellationToken)"/>, the error carrying the answer's usage headers.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, MetaUsageReport usage, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var error = ParseError(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        error.Usage = usage;
        throw error;
    }

    public static MetaApiException ParseError(HttpStatusCode status, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                return new MetaApiException(status,
                    e.TryGetProperty("code", out var c) && c.TryGetInt32(out var code) ? code : 0,
                    e.TryGetProperty("error_subcode", out var s) && s.TryGetInt32(out var sub) ? sub : null,
                    e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "",
                    e.TryGetProperty("type", out var t) ? t.GetString() : null,
                    e.TryGetProperty("fbtrace_id", out var f) ? f.GetString() : null,
                    e.TryGetProperty("is_transient", out var tr) && tr.ValueKind is JsonValueKind.True or JsonValueKind.False ? tr.GetBoolean() : null,
                    e.TryGetProperty("error_user_msg", out var um) ? um.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Not an envelope (a proxy's error page, a truncated body): fall through.
        }
        return new MetaApiException(status, 0, null, $"HTTP {(int)status} without a Graph error envelope.", null, null, (int)status >= 500, null);
    }
}
