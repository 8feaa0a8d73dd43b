namespace Orbyt.Api.Features.Connections;

public sealed record AuthorizeResponse(string AuthorizationUrl, DateTimeOffset ExpiresAt);
