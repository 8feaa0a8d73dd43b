namespace Orbyt.Api.RateLimiting;

/// <summary>The state of one budget after a request was counted.</summary>
public sealed record RateLimitDecision(bool Allowed, long Limit, long Remaining, TimeSpan ResetAfter);
