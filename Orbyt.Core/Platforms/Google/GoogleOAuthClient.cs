using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Orbyt.Core.Platforms.Google;

/// <summary>Google OAuth 2.0 (web-server flow with PKCE) and the YouTube calls the connection flow needs.</summary>
public sealed class GoogleOAuthClient(HttpClient http, IOptions<GoogleOptions> options)
{
    public const string UploadScope = "https://www.googleapis.com/auth/youtube.upload";
    public const string ReadonlyScope = "https://www.googleapis.com/auth/youtube.readonly";
    public const string ManageScope = "https://www.googleapis.com/auth/youtube";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private GoogleOptions Options => options.Value;

    /// <summary>The consent URL: offline access (refresh token), forced consent (a new refresh token every time), PKCE S256.</summary>
    public Uri BuildAuthorizationUrl(string redirectUri, string state, string codeChallenge, IEnumerable<string> scopes) =>
        new(Options.AccountsBaseUrl, "o/oauth2/v2/auth" + Meta.MetaGraphClient.Query(
            ("client_id", Options.ClientId), ("redirect_uri", redirectUri), ("response_type", "code"),
            ("scope", string.Join(' ', scopes)), ("access_type", "offline"), ("prompt", "consent"),
            ("include_granted_scopes", "true"), ("state", state),
            ("code_challenge", codeChallenge), ("code_challenge_method", "S256")));

    public Task<GoogleTokenResponse> ExchangeCodeAsync(string code, string redirectUri, string codeVerifier, CancellationToken ct) =>
        PostTokenAsync(ct, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri), ("code_verifier", codeVerifier),
            ("client_id", Options.ClientId), ("client_secret", Options.ClientSecret));

    public Task<GoogleTokenResponse> RefreshAsync(string refreshToken, CancellationToken ct) =>
        PostTokenAsync(ct, ("grant_type", "refresh_token"), ("refresh_token", refreshToken),
            ("client_id", Options.ClientId), ("client_secret", Options.ClientSecret));

    /// <summary>Revokes a token (and with a refresh token the whole grant). An already dead token is not an error.</summary>
    public async Task RevokeAsync(string token, CancellationToken ct)
    {
        using var content = new FormUrlEncodedContent([new("token", token)]);
        using var response = await http.PostAsync(new Uri(Options.OAuth2BaseUrl, "revoke"), content, ct);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.BadRequest) return;
        throw await OAuthErrorAsync(response, ct);
    }

    /// <summary>
    /// <c>oauth2.googleapis.com/tokeninfo</c> (reference §5.6): the scopes and expiry of a live access token, or null when
    /// Google answers <c>invalid_token</c> (expired, revoked or unknown). Costs no YouTube quota.
    /// </summary>
    public async Task<GoogleTokenInfo?> TokenInfoAsync(string accessToken, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(Options.OAuth2BaseUrl, "tokeninfo" + Meta.MetaGraphClient.Query(("access_token", accessToken))), ct);
        if (!response.IsSuccessStatusCode)
        {
            var error = await OAuthErrorAsync(response, ct);
            if (error.Error is "invalid_token" or "invalid_request" && (int)error.Status is >= 400 and < 500) return null;
            throw error;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        string? Str(string name) => body.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString() : null;
        var scopes = (Str("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        DateTimeOffset? expires = long.TryParse(Str("exp"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
        return new GoogleTokenInfo(scopes, expires, Str("aud"), Str("sub"));
    }

    /// <summary><c>channels?mine=true</c>: the channels of the authorizing account; empty when it has none.</summary>
    public async Task<IReadOnlyList<YouTubeChannel>> ListMyChannelsAsync(string accessToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Options.YouTubeBaseUrl, "youtube/v3/channels?part=snippet&mine=true&maxResults=50"));
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ApiErrorAsync(response, ct);
            if (error.Reason == "youtubeSignupRequired") return [];
            throw error;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        if (!body.TryGetProperty("items", out var items)) return [];
        return items.EnumerateArray().Select(item =>
        {
            var snippet = item.TryGetProperty("snippet", out var s) ? s : default;
            string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.GetString() : null;
            string? thumbnail = null;
            if (snippet.ValueKind == JsonValueKind.Object && snippet.TryGetProperty("thumbnails", out var thumbs)
                && thumbs.TryGetProperty("default", out var d)) thumbnail = Str(d, "url");
            return new YouTubeChannel(item.GetProperty("id").GetString()!, Str(snippet, "title"), Str(snippet, "customUrl"), thumbnail);
        }).ToArray();
    }

    private async Task<GoogleTokenResponse> PostTokenAsync(CancellationToken ct, params (string Name, string Value)[] form)
    {
        using var content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await http.PostAsync(new Uri(Options.OAuth2BaseUrl, "token"), content, ct);
        if (!response.IsSuccessStatusCode)
            throw await OAuthErrorAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<GoogleTokenResponse>(Json, ct))!;
    }

    public static async Task<GoogleOAuthException> OAuthErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                return new GoogleOAuthException(response.StatusCode, e.GetString()!, root.TryGetProperty("error_description", out var d) ? d.GetString() : null);
        }
        catch (JsonException)
        {
            // Fall through to a generic error.
        }
        return new GoogleOAuthException(response.StatusCode, (int)response.StatusCode >= 500 ? "server_error" : "invalid_response", null);
    }

    public static async Task<YouTubeApiException> ApiErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                string? reason = null, domain = null;
                if (e.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
                {
                    var first = errors[0];
                    reason = first.TryGetProperty("reason", out var r) ? r.GetString() : null;
                    domain = first.TryGetProperty("domain", out var d) ? d.GetString() : null;
                }
                return new YouTubeApiException(response.StatusCode, reason, domain,
                    e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "",
                    e.TryGetProperty("status", out var s) ? s.GetString() : null);
            }
        }
        catch (JsonException)
        {
            // Fall through.
        }
        return new YouTubeApiException(response.StatusCode, (int)response.StatusCode >= 500 ? "backendError" : null, null, $"HTTP {(int)response.StatusCode}", null);
    }
}
