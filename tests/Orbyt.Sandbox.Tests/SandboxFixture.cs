using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Orbyt.Sandbox.Tests;

/// <summary>One sandbox on a real Kestrel port for the whole test run (tests reset it first).</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>A plain client that does not follow redirects, so tests see the 302s.</summary>
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = SandboxApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseUri };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public string Url(string relative) => new Uri(BaseUri, relative).ToString();

    public async Task ResetAsync() => (await Http.PostAsync("_sandbox/reset", null)).EnsureSuccessStatusCode();

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    public async Task<JsonNode> PostControlAsync(string path, object body)
    {
        var response = await Http.PostAsJsonAsync(path, body, Snake);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>A Graph POST with form parameters (graph.facebook.com, or graph-video with <paramref name="host"/>).</summary>
    public Task<JsonNode> PostGraphAsync(string path, Dictionary<string, string> form, string host = "graph") =>
        PostGraphContentAsync(path, new FormUrlEncodedContent(form), host);

    public async Task<JsonNode> PostGraphContentAsync(string path, HttpContent content, string host = "graph")
    {
        var response = await Http.PostAsync($"{host}/v24.0/{path}", content);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A GET with a Google bearer token (YouTube Data API).</summary>
    public async Task<HttpResponseMessage> BearerGetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    public Task AdvanceClockAsync(double seconds) => PostControlAsync("_sandbox/clock/advance", new { seconds });

    public Task SettingsAsync(object patch) => PostControlAsync("_sandbox/settings", patch);

    public Task FaultAsync(object rule) => PostControlAsync("_sandbox/faults", rule);

    public async Task<JsonArray> PublishedAsync(string accountId) =>
        (await GetJsonAsync($"_sandbox/published?account_id={accountId}"))["data"]!.AsArray();

    public static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
