namespace Orbyt.Api.Features.Connections.Health;

/// <summary><c>Orbyt:ConnectionHealth</c>: how long a check is cached and how often the platforms may be asked (docs/connections.md, health).</summary>
public sealed class ConnectionHealthOptions
{
    public const string Section = "Orbyt:ConnectionHealth";

    /// <summary>How long a finished check is served from the cache (Redis, shared by every API replica).</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The least time between two live checks of one connection, refresh=true included.</summary>
    public TimeSpan MinLiveInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Live checks per API client per minute, all its connections together (cached answers are free).</summary>
    public int LiveChecksPerMinute { get; set; } = 60;

    /// <summary>
    /// How long a YouTube channel found by <c>channels?mine=true</c> is taken as still there: each look costs a unit of the
    /// project's daily YouTube quota, so it is asked at most this often per connection (the token itself is checked on
    /// every live check, through the free tokeninfo).
    /// </summary>
    public TimeSpan ChannelCheckTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Live checks run at once for one <c>GET /v1/connections?include=health</c>.</summary>
    public int ListConcurrency { get; set; } = 4;
}
