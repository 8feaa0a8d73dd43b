using System.Globalization;
using System.Text.Json;

namespace Orbyt.Core.Platforms.Meta;

/// <summary>
/// A Page's reels in Meta's moving 24 h window, as <c>GET /{page-id}/video_reels?since=&amp;limit=</c> lists them
/// (reference §2.4, §12.4: at most 30 published through the API per Page per 24 h; Meta recommends apps count them
/// themselves). The list holds every reel of the Page, so the count can only over-count the API-published ones. Read by
/// the Uploader before a reel (it waits at the cap) and by connection health (reels used and left); one source, one rule.
/// </summary>
public sealed record FacebookReelWindow(IReadOnlyList<(string Id, DateTimeOffset? At)> Reels)
{
    /// <summary>Meta's cap: reels a Page publishes through the API in <see cref="Length"/>.</summary>
    public const int ReelsPerPagePerDay = 30;

    /// <summary>The moving window the cap is counted over.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromDays(1);

    /// <summary>
    /// One page of the edge is enough to decide when it can hold more than the cap: Graph's edges answer 25 items unless
    /// told otherwise (§1.4), fewer than the 30 the cap needs.
    /// </summary>
    public const int PageSize = 100;

    /// <summary>The query of the list call: reels since <paramref name="since"/>, one page of <see cref="PageSize"/>.</summary>
    public static (string Name, string Value)[] Query(DateTimeOffset since) =>
        [("since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), ("limit", PageSize.ToString(CultureInfo.InvariantCulture))];

    /// <summary>Reads <c>{"data":[{"id":"…","description":"…","updated_time":"2026-03-01T12:00:00+0000"}]}</c>.</summary>
    public static FacebookReelWindow Read(JsonElement body) =>
        new(body.GetProperty("data").EnumerateArray()
            .Select(item => (item.GetProperty("id").GetString()!, item.TryGetProperty("updated_time", out var t) && t.ValueKind == JsonValueKind.String ? GraphTime.Parse(t.GetString()) : null))
            .ToList());

    public int Used => Reels.Count;

    public int Left => Math.Max(0, ReelsPerPagePerDay - Used);

    /// <summary>The oldest reel's time, when the list gives times: the window has room again <see cref="Length"/> after it.</summary>
    public DateTimeOffset? Oldest => Reels.Select(r => r.At).Where(a => a is not null).Min();
}
