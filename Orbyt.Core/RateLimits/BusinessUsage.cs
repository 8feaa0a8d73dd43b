namespace Orbyt.Core.RateLimits;

/// <summary>One business object's figures from Meta's <c>X-Business-Use-Case-Usage</c> header.</summary>
public sealed record BusinessUsage(string ObjectId, string? Type, int MaxPercent, int RegainMinutes);
