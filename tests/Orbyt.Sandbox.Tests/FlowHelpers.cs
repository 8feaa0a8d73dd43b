using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;

namespace Orbyt.Sandbox.Tests;

/// <summary>The OAuth round trips done the way a server-side client does them, with automatic consent.</summary>
public static class FlowHelpers
{
    public const string MetaAppId = "1234567890";
    public const string MetaSecret = "sandbox-meta-secret";
    public const string GoogleClientId = "sandbox-client.apps.googleusercontent.com";
    public const string GoogleSecret = "sandbox-google-secret";
    public const string RedirectUri = "https://app.example.com/callback";
    public const string UploadScope = "https://www.googleapis.com/auth/youtube.upload";
    public const string ReadonlyScope = "https://www.googleapis.com/auth/youtube.readonly";

    public static readonly string[] PublishingScopes =
        ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "instagram_basic", "instagram_content_publish", "publish_video"];

    public static Dictionary<string, string> Query(Uri location) =>
        HttpUtility.ParseQueryString(location.Query).AllKeys.Where(k => k is not null)
            .ToDictionary(k => k!, k => HttpUtility.ParseQueryString(location.Query)[k]!);

    public static async Task<string> MetaCodeAsync(SandboxFixture sandbox, string userId, string[]? scopes = null)
    {
        await sandbox.SettingsAsync(new { auto_consent = new { meta = userId, meta_scopes = scopes } });
        var response = await sandbox.Http.GetAsync(
            $"facebook/v24.0/dialog/oauth?client_id={MetaAppId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&state=s1&scope={string.Join(',', scopes ?? PublishingScopes)}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Query(response.Headers.Location!)["code"];
    }

    /// <summary>Dialog → code → short-lived token → long-lived token.</summary>
    public static async Task<string> MetaLongLivedTokenAsync(SandboxFixture sandbox, string userId, string[]? scopes = null)
    {
        var code = await MetaCodeAsync(sandbox, userId, scopes);
        var shortLived = await sandbox.GetJsonAsync(
            $"graph/v24.0/oauth/access_token?client_id={MetaAppId}&client_secret={MetaSecret}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&code={code}");
        var longLived = await sandbox.GetJsonAsync(
            $"graph/v24.0/oauth/access_token?grant_type=fb_exchange_token&client_id={MetaAppId}&client_secret={MetaSecret}&fb_exchange_token={shortLived["access_token"]}");
        return longLived["access_token"]!.GetValue<string>();
    }

    public static async Task<string> PageTokenAsync(SandboxFixture sandbox, string userToken, string pageId)
    {
        var accounts = await sandbox.GetJsonAsync($"graph/v24.0/me/accounts?access_token={userToken}");
        return accounts["data"]!.AsArray().First(p => p!["id"]!.GetValue<string>() == pageId)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The default identity's long-lived user token, its first Page and that Page's Instagram account.</summary>
    public static async Task<(string UserToken, string PageId, string IgId)> MetaAccountAsync(SandboxFixture sandbox, JsonNode? identity = null)
    {
        identity ??= await DefaultIdentityAsync(sandbox);
        var meta = identity["meta"]!;
        var token = await MetaLongLivedTokenAsync(sandbox, meta["user_id"]!.GetValue<string>());
        var page = meta["pages"]![0]!;
        return (token, page["id"]!.GetValue<string>(), page["instagram_business_account"]?["id"]?.GetValue<string>() ?? "");
    }

    /// <summary>POST /{ig-user-id}/media with these parameters and the token (reference §3.2, §13).</summary>
    public static Task<JsonNode> InstagramContainerAsync(SandboxFixture sandbox, string igId, string token, Dictionary<string, string> form)
    {
        form["access_token"] = token;
        return sandbox.PostGraphAsync($"{igId}/media", form);
    }

    /// <summary>POST /{ig-user-id}/media_publish of a container this test created (failing the test with its body when it has no id).</summary>
    public static Task<JsonNode> InstagramPublishAsync(SandboxFixture sandbox, string igId, string token, JsonNode container) =>
        sandbox.PostGraphAsync($"{igId}/media_publish", new()
        {
            ["creation_id"] = container["id"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException(container.ToJsonString()), ["access_token"] = token,
        });

    /// <summary>A Graph error's code and subcode.</summary>
    public static (int Code, int? Subcode) GraphError(JsonNode body)
    {
        var error = body["error"] ?? throw new Xunit.Sdk.XunitException($"Expected a Graph error, got {body.ToJsonString()}");
        return (error["code"]!.GetValue<int>(), error["error_subcode"]?.GetValue<int>());
    }

    /// <summary>rupload.facebook.com bytes: Authorization: OAuth, offset and file_size headers, the body from that offset.</summary>
    public static Task<HttpResponseMessage> RuploadAsync(SandboxFixture sandbox, string url, string token, byte[] body, long offset, long fileSize)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", token);
        request.Headers.Add("offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("file_size", fileSize.ToString(CultureInfo.InvariantCulture));
        return sandbox.Http.SendAsync(request);
    }

    public static async Task<JsonNode> DefaultIdentityAsync(SandboxFixture sandbox) =>
        (await sandbox.GetJsonAsync("_sandbox/identities"))["data"]![0]!;

    public static async Task<JsonNode> GoogleTokensAsync(SandboxFixture sandbox, string account, string[]? scopes = null, string extra = "&access_type=offline")
    {
        await sandbox.SettingsAsync(new { auto_consent = new { google = account } });
        var verifier = "verifier-" + new string('x', 50);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var scope = Uri.EscapeDataString(string.Join(' ', scopes ?? [UploadScope, ReadonlyScope]));
        var response = await sandbox.Http.GetAsync(
            $"google-accounts/o/oauth2/v2/auth?client_id={GoogleClientId}&redirect_uri={Uri.EscapeDataString(RedirectUri)}&response_type=code&scope={scope}&state=g1&code_challenge={challenge}&code_challenge_method=S256{extra}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var code = Query(response.Headers.Location!)["code"];
        var token = await sandbox.Http.PostAsync("google-oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["client_id"] = GoogleClientId,
            ["client_secret"] = GoogleSecret,
            ["code_verifier"] = verifier,
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A deterministic "MP4" for uploads: an ftyp box then pseudo-random bytes.</summary>
    public static byte[] FakeMp4(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        "\0\0\0\u0018ftypisom"u8.ToArray().CopyTo(bytes, 0);
        return bytes;
    }
}
