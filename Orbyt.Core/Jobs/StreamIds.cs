namespace Orbyt.Core.Jobs;

/// <summary>Redis stream entry ids (<c>milliseconds-sequence</c>).</summary>
public static class StreamIds
{
    /// <summary>The smallest id after <paramref name="id"/>.</summary>
    public static string Next(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var ms = dash < 0 ? id : id[..dash];
        var seq = dash < 0 ? 0 : ulong.Parse(id.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture);
        return seq == ulong.MaxValue
            ? $"{ulong.Parse(ms, System.Globalization.CultureInfo.InvariantCulture) + 1}-0"
            : $"{ms}-{seq + 1}";
    }
}
