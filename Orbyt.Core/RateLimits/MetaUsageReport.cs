using System.Text.Json;

namespace Orbyt.Core.RateLimits;

/// <summary>
/// Meta's usage headers, read on every Graph response: <c>X-App-Usage</c> (percentages of the app's hourly limit),
/// <c>X-Business-Use-Case-Usage</c> (per Page / Instagram account, with <c>estimated_time_to_regain_access</c>
/// in minutes) and <c>X-Page-Usage</c> (the Page-level limit of the Page the call was for, not keyed; older than the
/// business-use-case header and still seen in the wild). Malformed headers read as absent: a usage report must never
/// fail a call.
/// </summary>
public sealed record MetaUsageReport(int? AppMaxPercent, IReadOnlyList<BusinessUsage> Business, BusinessUsage? Page = null)
{
    public const string AppUsageHeader = "X-App-Usage";
    public const string BusinessUsageHeader = "X-Business-Use-Case-Usage";
    public const string PageUsageHeader = "X-Page-Usage";

    public static readonly MetaUsageReport None = new(null, []);

    /// <summary>The usage headers of one Graph answer (names are case-insensitive, §17.2).</summary>
    public static MetaUsageReport From(HttpResponseMessage response) =>
        Parse(Header(response, AppUsageHeader), Header(response, BusinessUsageHeader), Header(response, PageUsageHeader));

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public static MetaUsageReport Parse(string? appUsage, string? businessUsage, string? pageUsage = null) =>
        new(ParseApp(appUsage), ParseBusiness(businessUsage), ParsePage(pageUsage));

    private static BusinessUsage? ParsePage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        try
        {
            using var doc = JsonDocument.Parse(header);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? new BusinessUsage("", "pages", MaxPercent(doc.RootElement), Regain(doc.RootElement))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? ParseApp(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        try
        {
            using var doc = JsonDocument.Parse(header);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? MaxPercent(doc.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<BusinessUsage> ParseBusiness(string? header)
    {
        var result = new List<BusinessUsage>();
        if (string.IsNullOrWhiteSpace(header)) return result;
        try
        {
            using var doc = JsonDocument.Parse(header);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return result;
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Array) continue;
                foreach (var usage in entry.Value.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.Object))
                {
                    var type = usage.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    result.Add(new BusinessUsage(entry.Name, type, MaxPercent(usage), Regain(usage)));
                }
            }
        }
        catch (JsonException)
        {
            result.Clear();
        }
        return result;
    }

    private static int Regain(JsonElement figures) =>
        figures.TryGetProperty("estimated_time_to_regain_access", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var minutes)
            ? Math.Max(0, minutes) : 0;

    private static int MaxPercent(JsonElement figures)
    {
        var max = 0;
        foreach (var name in new[] { "call_count", "total_time", "total_cputime" })
        {
            if (figures.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var pct))
                max = Math.Max(max, (int)Math.Ceiling(pct));
        }
        return max;
    }
}
