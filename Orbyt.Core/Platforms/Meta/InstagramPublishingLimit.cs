using System.Text.Json;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>
/// An Instagram account's publishing quota (reference §3.6): posts published in the moving window, the window's total
/// (<c>config.quota_total</c>, authoritative at runtime: Meta's docs say 50 or 100) and its length in seconds.
/// </summary>
public sealed record InstagramPublishingLimit(long QuotaUsage, long QuotaTotal, long QuotaDurationSeconds)
{
    /// <summary>Reads <c>{"data":[{"quota_usage":2,"config":{"quota_total":50,"quota_duration":86400}}]}</c>.</summary>
    public static InstagramPublishingLimit Read(JsonElement body)
    {
        var entry = body.GetProperty("data")[0];
        var config = entry.GetProperty("config");
        return new InstagramPublishingLimit(
            entry.GetProperty("quota_usage").GetInt64(),
            config.GetProperty("quota_total").GetInt64(),
            config.TryGetProperty("quota_duration", out var duration) && duration.ValueKind == JsonValueKind.Number ? duration.GetInt64() : 86_400);
    }
}
