using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orbyt.IntegrationTests.Support;

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
