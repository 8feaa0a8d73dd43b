namespace Orbyt.Sandbox.State;

/// <summary>
/// How long the platform calls a rule matches take: a fixed time, or a log-normal distribution given by its median
/// and 99th percentile (the shape of real API latency: most calls near the median, a long tail). Matching is by
/// platform (meta, google, youtube, mux), path prefix and method, like the fault rules; a filter left null matches
/// everything. The first matching rule applies.
/// </summary>
public sealed record LatencyRule
{
    public string? Platform { get; init; }
    public string? PathPrefix { get; init; }
    public string? Method { get; init; }

    /// <summary>Matches paths ending with this text, e.g. <c>/comments</c> (an object whose id is not known in advance).</summary>
    public string? PathSuffix { get; init; }

    /// <summary>Every matching call takes this long (exclusive with p50/p99).</summary>
    public double? FixedMs { get; init; }

    /// <summary>Median of the log-normal distribution.</summary>
    public double? P50Ms { get; init; }

    /// <summary>99th percentile of the log-normal distribution (≥ the median).</summary>
    public double? P99Ms { get; init; }

    public bool Matches(string platform, string path, string method) =>
        (Platform is null || string.Equals(Platform, platform, StringComparison.OrdinalIgnoreCase))
        && (PathPrefix is null || path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase))
        && (PathSuffix is null || path.EndsWith(PathSuffix, StringComparison.OrdinalIgnoreCase))
        && (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why the rule cannot be used, or null.</summary>
    public string? Problem() => (FixedMs, P50Ms, P99Ms) switch
    {
        ({ } f, null, null) => f is >= 0 and <= LatencyBook.MaxDelayMs ? null : $"fixed_ms must be 0–{LatencyBook.MaxDelayMs}",
        (null, { } p50, { } p99) => p50 is > 0 and <= LatencyBook.MaxDelayMs && p99 >= p50 && p99 <= LatencyBook.MaxDelayMs
            ? null
            : $"p50_ms must be in (0, {LatencyBook.MaxDelayMs}] and p99_ms in [p50_ms, {LatencyBook.MaxDelayMs}]",
        _ => "a latency rule needs fixed_ms, or p50_ms and p99_ms",
    };
}
