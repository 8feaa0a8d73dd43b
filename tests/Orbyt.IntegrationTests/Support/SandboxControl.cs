using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orbyt.IntegrationTests.Support;

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
