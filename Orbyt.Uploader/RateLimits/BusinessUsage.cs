namespace Orbyt.Uploader.RateLimits;

/// <summary>One business object's figures from <c>X-Business-Use-Case-Usage</c> (platform-apis.md §4.3).</summary>
public sealed record BusinessUsage(string ObjectId, string? Type, int MaxPercent, int RegainMinutes);
