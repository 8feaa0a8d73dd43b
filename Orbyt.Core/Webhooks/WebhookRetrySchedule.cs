using System.Globalization;
using System.Net.Http.Headers;

namespace Orbyt.Core.Webhooks;

/// <summary>
/// When to try a delivery again: the Standard Webhooks schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
/// 14 h, 20 h, 24 h — ten attempts over about three days), each retry delay jittered by ±10 % so that many
/// deliveries failing together do not come back together. A receiver's <c>Retry-After</c> wins when it asks for
/// later than the schedule, capped at the schedule's longest delay so a receiver cannot park a delivery forever.
/// </summary>
public sealed class WebhookRetrySchedule
{
    public const string StandardScheduleSeconds = "0,5,300,1800,7200,18000,36000,50400,72000,86400";
    private const double Jitter = 0.10;

    private readonly TimeSpan[] _delays;

    public WebhookRetrySchedule(IReadOnlyList<TimeSpan> delays)
    {
        if (delays.Count == 0) throw new ArgumentException("The schedule needs at least one attempt.", nameof(delays));
        _delays = [.. delays];
    }

    public static WebhookRetrySchedule Standard { get; } = Parse(StandardScheduleSeconds);

    /// <summary>Total number of attempts, the first included.</summary>
    public int MaxAttempts => _delays.Length;

    public IReadOnlyList<TimeSpan> Delays => _delays;

    public static WebhookRetrySchedule Parse(string seconds) =>
        TryParse(seconds, out var schedule) ? schedule : throw new FormatException($"Invalid retry schedule '{seconds}'.");

    public static bool TryParse(string? seconds, out WebhookRetrySchedule schedule)
    {
        schedule = null!;
        if (string.IsNullOrWhiteSpace(seconds)) return false;
        var parts = seconds.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 20) return false;
        var delays = new TimeSpan[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var s)) return false;
            delays[i] = TimeSpan.FromSeconds(s);
        }
        schedule = new WebhookRetrySchedule(delays);
        return true;
    }

    /// <summary>
    /// The delay before the next attempt after <paramref name="attemptsMade"/> failed attempts, or null when the
    /// schedule is exhausted. <paramref name="random"/> is a value in [0, 1) for the jitter.
    /// </summary>
    public TimeSpan? NextDelay(int attemptsMade, double random, TimeSpan? retryAfter = null)
    {
        if (attemptsMade < 1) return _delays[0];
        if (attemptsMade >= _delays.Length) return null;
        var scheduled = _delays[attemptsMade] * (1 + Jitter * (2 * random - 1));
        if (retryAfter is { } asked && asked > scheduled)
            scheduled = asked < MaxDelay ? asked : MaxDelay;
        return scheduled;
    }

    private TimeSpan MaxDelay => _delays.Max();

    /// <summary>Reads <c>Retry-After</c> as delta-seconds or an HTTP date; null when absent, invalid or in the past.</summary>
    public static TimeSpan? ParseRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null) return null;
        if (header.Delta is { } delta) return delta > TimeSpan.Zero ? delta : null;
        if (header.Date is { } date) return date > now ? date - now : null;
        return null;
    }

    /// <summary>Reads a raw <c>Retry-After</c> value (delta-seconds or an HTTP date).</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var header) ? ParseRetryAfter(header, now) : null;
}
