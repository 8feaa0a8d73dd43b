using System.Globalization;
using System.Text.RegularExpressions;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// A <c>publish_at</c>: an RFC 3339 date-time with its UTC offset (<c>Z</c> or <c>±hh:mm</c>). A time without an offset
/// is refused rather than read in some server's zone.
/// </summary>
public static partial class PublishTime
{
    /// <summary>The instant <paramref name="value"/> names, as UTC.</summary>
    public static bool TryParse(string? value, out DateTimeOffset time)
    {
        time = default;
        if (value is null || !Rfc3339().IsMatch(value) || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            return false;
        // The instant, in UTC: what PostgreSQL's timestamptz stores and every comparison uses.
        time = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>The time, or null when the value is absent or not RFC 3339 with an offset (the validator refuses those).</summary>
    public static DateTimeOffset? Parse(string? value) => TryParse(value, out var time) ? time : null;

    /// <summary>A valid publish_at: RFC 3339 with an offset, after <paramref name="now"/> and within <paramref name="maxAhead"/>.</summary>
    public static bool IsSchedulable(string? value, DateTimeOffset now, TimeSpan maxAhead) =>
        TryParse(value, out var time) && time > now && time <= now + maxAhead;

    public const string Rule = "publish_at must be an RFC 3339 date-time with a UTC offset (Z or ±hh:mm), in the future and at most a year ahead.";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
