namespace Orbyt.Core.RateLimits;

/// <summary>One call budget: at most <see cref="Limit"/> calls per fixed <see cref="Window"/> (0 = unlimited).</summary>
public sealed class CallBudget
{
    public long Limit { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
