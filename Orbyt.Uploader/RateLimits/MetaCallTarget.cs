namespace Orbyt.Uploader.RateLimits;

/// <summary>The Page or Instagram account a Meta call is made for, and the Meta user (app-scoped id) behind its token, when known.</summary>
public sealed record MetaCallTarget(string AccountId, string? UserId);
