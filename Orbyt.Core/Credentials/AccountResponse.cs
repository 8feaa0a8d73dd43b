namespace Orbyt.Core.Credentials;

public sealed record AccountResponse(string Id, string? Name, string? Username, string? AvatarUrl);
