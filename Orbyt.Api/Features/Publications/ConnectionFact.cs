namespace Orbyt.Api.Features.Publications;

/// <summary>What never changes about a connection: whose it is and which platform it is on.</summary>
public sealed record ConnectionFact(Guid Id, Guid ClientId, string UserId, string Platform);
