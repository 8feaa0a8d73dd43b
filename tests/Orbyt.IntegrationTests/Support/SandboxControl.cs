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

    /// <summary>
    /// Consent pages are shown to a person again: no auto-consent identity, no auto-deny. Tests that run before in the
    /// shared AppHost leave their auto-consent (deny included) in the sandbox's settings.
    /// </summary>
    public Task ShowConsentPagesAsync() =>
        SettingsAsync(new
        {
            auto_consent = new JsonObject
            {
                ["meta"] = null, ["meta_scopes"] = null, ["meta_deny"] = false,
                ["google"] = null, ["google_scopes"] = null, ["google_deny"] = false,
                ["instagram"] = null, ["instagram_scopes"] = null, ["instagram_deny"] = false,
            },
        });

    /// <summary>Consent pages answer at once for this identity (the HTML pages stay usable for people).</summary>
    public Task AutoConsentAsync(string identityId, string[]? metaScopes = null, string[]? googleScopes = null, bool deny = false, string[]? instagramScopes = null) =>
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
                // Instagram Login: the identity's first Instagram account without a Page, else its first.
                ["instagram"] = identityId,
                ["instagram_scopes"] = instagramScopes is null ? null : new JsonArray(instagramScopes.Select(s => (JsonNode)s!).ToArray()),
                ["instagram_deny"] = deny,
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

    /// <summary><c>POST /_sandbox/mux/assets</c> with the options given (size, readiness, policy, movie); the asset as described.</summary>
    public async Task<JsonElement> MuxAssetAsync(object request)
    {
        using var response = await http.PostAsJsonAsync("/_sandbox/mux/assets", request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement[]> FaultsAsync() =>
        (await http.GetFromJsonAsync<JsonElement>("/_sandbox/faults")).GetProperty("data").EnumerateArray().ToArray();

    /// <summary>Replaces the sandbox's response latency rules (<c>POST /_sandbox/latency</c>), which also resets its count of calls in flight.</summary>
    public async Task SetLatencyAsync(object latency)
    {
        using var response = await http.PostAsJsonAsync("/_sandbox/latency", latency);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The latency rules and what they did: calls, max_in_flight, the delays drawn.</summary>
    public async Task<JsonElement> LatencyAsync() => await http.GetFromJsonAsync<JsonElement>("/_sandbox/latency");

    public async Task ClearLatencyAsync() => (await http.DeleteAsync("/_sandbox/latency")).Dispose();

    /// <summary>How far the sandbox clock runs ahead of ours: tests that wait on platform windows move it on (a day for Instagram's publishing limit, hours to YouTube's quota reset).</summary>
    public async Task<TimeSpan> ClockLeadAsync() =>
        TimeSpan.FromSeconds((await http.GetFromJsonAsync<JsonElement>("/_sandbox/clock")).GetProperty("offset_seconds").GetDouble());

    /// <summary>
    /// The <c>meta_data_access_days</c> setting under which a Meta grant made now lapses about <paramref name="daysFromNow"/>
    /// days from now on our clock (the refresher's), whatever earlier tests did to the sandbox clock: within half a day.
    /// </summary>
    public async Task<int> MetaDataAccessDaysLapsingInAsync(int daysFromNow)
    {
        var lead = await ClockLeadAsync();
        var days = daysFromNow - (int)Math.Round(lead.TotalDays);
        Assert.True(days >= 1, $"The sandbox clock runs {lead.TotalDays:F1} days ahead: no grant made now can lapse {daysFromNow} days from now on our clock.");
        return days;
    }

    /// <summary>
    /// The appsecret_proof for a Meta token: the AppHost runs the sandbox's app with "Require App Secret" on, so a test's
    /// own Graph call with a user or Page token needs one, as the services' calls do.
    /// </summary>
    public static string MetaProof(string token) => Orbyt.Core.Platforms.Meta.MetaAppSecretProofHandler.Compute(MetaAppSecret, token);

    /// <summary>The Meta app secret the AppHost gives the services and the sandbox (its parameter default).</summary>
    public const string MetaAppSecret = "sandbox-meta-secret";

    /// <summary>An absolute URL on the sandbox (media the platforms fetch, Mux renditions).</summary>
    public string Url(string path) => new Uri(http.BaseAddress!, path).ToString();
}
