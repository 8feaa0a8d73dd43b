using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

namespace Orbyt.IntegrationTests;

/// <summary>Calls to the API as one API client.</summary>
public sealed class ApiCaller(HttpClient http, string apiKey)
{
    public HttpClient Http => http;
    public string ApiKey => apiKey;

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", apiKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return http.SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>The sandbox's control API (docs/sandbox.md).</summary>
public sealed class SandboxControl(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<JsonElement> CreateIdentityAsync(object? options = null)
    {
        using var response = await http.PostAsJsonAsync("/_sandbox/identities", options ?? new { });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task SettingsAsync(object patch)
    {
        using var response = await http.PostAsJsonAsync("/_sandbox/settings", patch);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Consent pages answer at once for this identity (the HTML pages stay usable for people).</summary>
    public Task AutoConsentAsync(string identityId, string[]? metaScopes = null, string[]? googleScopes = null, bool deny = false) =>
        SettingsAsync(new
        {
            auto_consent = new JsonObject
            {
                ["meta"] = identityId,
                ["meta_scopes"] = metaScopes is null ? null : new JsonArray(metaScopes.Select(s => (JsonNode)s!).ToArray()),
                ["meta_deny"] = deny,
                ["google"] = identityId,
                ["google_scopes"] = googleScopes is null ? null : new JsonArray(googleScopes.Select(s => (JsonNode)s!).ToArray()),
                ["google_deny"] = deny,
            },
        });

    public async Task<JsonElement> CallsAsync() => await http.GetFromJsonAsync<JsonElement>("/_sandbox/calls");

    /// <summary>Everything the sandbox received as published on one account (Page, IG user or channel).</summary>
    public async Task<JsonElement[]> PublishedAsync(string accountId) =>
        (await http.GetFromJsonAsync<JsonElement>($"/_sandbox/published?account_id={accountId}")).GetProperty("data").EnumerateArray().ToArray();

    public async Task AddFaultAsync(object rule)
    {
        using var response = await http.PostAsJsonAsync("/_sandbox/faults", rule);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement[]> FaultsAsync() =>
        (await http.GetFromJsonAsync<JsonElement>("/_sandbox/faults")).GetProperty("data").EnumerateArray().ToArray();

    /// <summary>An absolute URL on the sandbox (media the platforms fetch, Mux renditions).</summary>
    public string Url(string path) => new Uri(http.BaseAddress!, path).ToString();
}

/// <summary>Follows redirects as a browser would, and stops when it reaches the caller's return URL.</summary>
public sealed class Browser : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task<Uri> FollowUntilAsync(string startUrl, string returnUrlPrefix, int maxHops = 10)
    {
        var url = new Uri(startUrl);
        for (var hop = 0; hop < maxHops; hop++)
        {
            if (url.ToString().StartsWith(returnUrlPrefix, StringComparison.Ordinal))
                return url;
            using var response = await _http.GetAsync(url);
            if ((int)response.StatusCode is < 300 or >= 400)
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode} instead of redirecting: {await response.Content.ReadAsStringAsync()}");
            url = new Uri(url, response.Headers.Location!);
        }
        throw new InvalidOperationException($"More than {maxHops} redirects from {startUrl}.");
    }

    public static Dictionary<string, string> Query(Uri url) =>
        QueryHelpers.ParseQuery(url.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    public void Dispose() => _http.Dispose();
}

public static class TestDatabase
{
    public static OrbytDbContext Open(AppHostFixture fixture) =>
        new(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention().Options);

    /// <summary>
    /// A service provider like a worker's, against the test database and the sandbox's platforms, for running worker
    /// components (refresh scheduler, connection tokens) inside a test.
    /// </summary>
    public static ServiceProvider WorkerServices(AppHostFixture fixture, Action<IServiceCollection> addServices)
    {
        var sandbox = fixture.Sandbox.BaseAddress!.ToString().TrimEnd('/');
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orbyt:Vault:Keys:k1"] = fixture.TokenEncryptionKey,
            ["Platforms:Google:ClientId"] = "sandbox-client.apps.googleusercontent.com",
            ["Platforms:Google:ClientSecret"] = "sandbox-google-secret",
            ["Platforms:Google:OAuth2BaseUrl"] = sandbox + "/google-oauth2/",
            ["Platforms:Google:YouTubeBaseUrl"] = sandbox + "/youtube/",
            ["Platforms:Meta:AppId"] = "1234567890",
            ["Platforms:Meta:AppSecret"] = "sandbox-meta-secret",
            ["Platforms:Meta:GraphBaseUrl"] = sandbox + "/graph/",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<OrbytDbContext>(o => o.UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention());
        addServices(services);
        return services.BuildServiceProvider();
    }

    public static ITokenVault Vault(AppHostFixture fixture) =>
        new AesGcmTokenVault(Options.Create(new TokenVaultOptions { Keys = new() { ["k1"] = fixture.TokenEncryptionKey } }));
}
