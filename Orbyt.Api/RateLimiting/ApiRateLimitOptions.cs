namespace Orbyt.Api.RateLimiting;

/// <summary><c>Orbyt:ApiRateLimit</c>: requests per window per API client (a client's own setting wins).</summary>
public sealed class ApiRateLimitOptions
{
    public const string Section = "Orbyt:ApiRateLimit";
    public int RequestsPerMinute { get; set; } = 1200;
}
