using System.Text.RegularExpressions;

namespace Orbyt.Sandbox.Meta;

/// <summary>A Graph path with the host prefix and the optional version segment removed.</summary>
internal sealed partial record GraphPath(string? Version, string[] Segments)
{
    public static GraphPath Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        string? version = null;
        if (segments.Count > 0 && VersionPattern().IsMatch(segments[0]))
        {
            version = segments[0];
            segments.RemoveAt(0);
        }

        return new GraphPath(version, [.. segments]);
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    public static partial Regex VersionPattern();
}
