using System.Globalization;
using System.Text;
using Orbyt.Sandbox.Http;

namespace Orbyt.Sandbox.Meta;

/// <summary>
/// Cursor paging as Graph edges do it: <c>limit</c> (25 by default, at most 100), opaque <c>before</c>/<c>after</c>
/// cursors, and <c>paging.next</c> only when more follows; <c>summary=total_count</c> adds the total.
/// </summary>
internal static class GraphPaging
{
    private const int DefaultLimit = 25;
    private const int MaxLimit = 100;

    public static Dictionary<string, object?> Page<T>(GraphRequest request, IReadOnlyList<T> items, Func<T, object> project)
    {
        var limit = int.TryParse(request["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? Math.Min(l, MaxLimit) : DefaultLimit;
        var start = request["after"] is { Length: > 0 } after && Decode(after) is { } position ? position + 1 : 0;
        var slice = items.Skip(start).Take(limit).ToList();
        var body = new Dictionary<string, object?> { ["data"] = slice.Select(project).ToList() };
        if (slice.Count > 0)
        {
            var last = start + slice.Count - 1;
            var paging = new Dictionary<string, object?> { ["cursors"] = new { before = Encode(start), after = Encode(last) } };
            if (last + 1 < items.Count)
            {
                paging["next"] = Next(request, Encode(last));
            }

            body["paging"] = paging;
        }

        if (request["summary"] is { } summary && summary.Split(',').Contains("total_count"))
        {
            body["summary"] = new { total_count = items.Count };
        }

        return body;
    }

    private static string Encode(int position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("cursor:" + position.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static int? Decode(string cursor)
    {
        try
        {
            var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("cursor:", StringComparison.Ordinal) && int.TryParse(text[7..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Next(GraphRequest request, string after)
    {
        var context = request.Context;
        var query = context.Request.Query.Where(q => q.Key != "after").Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("after", after));
        return SandboxHttp.AppendQuery(context.PublicBase() + context.Request.Path, query);
    }
}
