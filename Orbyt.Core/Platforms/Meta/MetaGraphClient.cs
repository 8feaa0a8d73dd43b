using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

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

    /// <summary>The login dialog URL the browser is sent to.</summary>
    public Uri BuildDialogUrl(string redirectUri, string state, IEnumerable<string> scopes) =>
        new(Options.DialogBaseUrl, $"{Options.GraphVersion}/dialog/oauth" + Query(
            ("client_id", Options.AppId), ("redirect_uri", redirectUri), ("state", state),
            ("response_type", "code"), ("scope", string.Join(',', scopes))));

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

    public Task<MetaUser> GetMeAsync(string userToken, CancellationToken ct) =>
        GetAsync<MetaUser>("me", ct, ("fields", "id,name"), ("access_token", userToken));

    /// <summary>The Pages the user granted, with Page tokens and linked Instagram professional accounts (all pages followed).</summary>
    public async Task<IReadOnlyList<MetaPage>> GetPagesAsync(string userToken, CancellationToken ct)
    {
        var pages = new List<MetaPage>();
        string? after = null;
        do
        {
            var parameters = new List<(string, string)>
            {
                ("fields", "id,name,access_token,tasks,instagram_business_account{id,username,name,profile_picture_url}"),
                ("limit", "100"),
                ("access_token", userToken),
            };
            if (after is not null) parameters.Add(("after", after));
            var page = await GetAsync<JsonElement>("me/accounts", ct, [.. parameters]);
            pages.AddRange(page.GetProperty("data").Deserialize<MetaPage[]>(Json)!);
            after = page.TryGetProperty("paging", out var paging) && paging.TryGetProperty("next", out _)
                && paging.TryGetProperty("cursors", out var cursors) && cursors.TryGetProperty("after", out var a)
                ? a.GetString() : null;
        }
        while (after is not null);
        return pages;
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
