using System.Globalization;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>Graph API times.</summary>
public static class GraphTime
{
    /// <summary>A Graph time: <c>2026-09-26T21:30:00+0000</c> (Graph's offset has no colon), ISO-8601, or null.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (value is null) return null;
        if (value.Length > 5 && value[^5] is '+' or '-' && value[^3] != ':') value = value[..^2] + ":" + value[^2..];
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
