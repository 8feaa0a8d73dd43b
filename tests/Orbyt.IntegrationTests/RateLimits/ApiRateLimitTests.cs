using System.Net;

namespace Orbyt.IntegrationTests.RateLimits;

[Collection(AppHostCollection.Name)]
[Trait("Redis", "Cluster")]
public sealed class ApiRateLimitTests(AppHostFixture fixture)
{
    [Fact]
    public async Task A_client_over_its_request_budget_gets_429_with_rate_limit_headers()
    {
        var admin = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        var created = await admin.JsonAsync(HttpMethod.Post, "/v1/clients", new { name = "limited-" + Guid.NewGuid().ToString("N")[..8], requests_per_minute = 5 }, HttpStatusCode.Created);
        var client = new ApiCaller(fixture.Api, created.GetProperty("api_key").GetProperty("key").GetString()!);

        // Requests until the budget answers 429: five in one window (ten at most if a window boundary falls between).
        var remaining = new List<int>();
        HttpResponseMessage limited;
        while (true)
        {
            var response = await client.SendAsync(HttpMethod.Get, "/v1/client");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
                break;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("RateLimit-Limit").Single());
            remaining.Add(int.Parse(response.Headers.GetValues("RateLimit-Remaining").Single()));
            response.Dispose();
            Assert.True(remaining.Count <= 10, "No 429 after ten requests.");
        }

        Assert.Equal(0, remaining[^1]);
        var problem = await ApiProblem.AssertAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(problem.GetProperty("retryable").GetBoolean());
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Equal("0", limited.Headers.GetValues("RateLimit-Remaining").Single());
        limited.Dispose();

        // Other clients are not affected.
        using var other = await admin.SendAsync(HttpMethod.Get, "/v1/client");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
