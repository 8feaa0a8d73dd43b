namespace Orbyt.Api.Features.Connections;

/// <summary>A publishable account found at the platform, with the token that publishes for it.</summary>
public sealed record DiscoveredAccount(string AccountId, string? Name, string? Username, string? AvatarUrl, string PageId, string PageToken);
