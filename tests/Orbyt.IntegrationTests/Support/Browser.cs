using Microsoft.AspNetCore.WebUtilities;

namespace Orbyt.IntegrationTests.Support;

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
