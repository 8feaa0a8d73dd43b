namespace Orbyt.Core.RateLimits;

/// <summary>Reads the Date header of every answer from one platform into the <see cref="PlatformClock"/>.</summary>
public sealed class PlatformDateHandler(PlatformClock clock, string platform) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        clock.Observe(platform, response.Headers.Date);
        return response;
    }
}
