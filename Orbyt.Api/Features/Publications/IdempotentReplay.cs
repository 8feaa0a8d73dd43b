namespace Orbyt.Api.Features.Publications;

/// <summary>The first response to a key, answered again.</summary>
public sealed record IdempotentReplay(int Status, string Body);
