namespace Orbyt.Sandbox.State;

/// <summary>Scripted percentages for X-App-Usage / X-Business-Use-Case-Usage (override the real counters).</summary>
public sealed record UsageOverride
{
    public int? CallCount { get; init; }
    public int? TotalTime { get; init; }
    public int? TotalCputime { get; init; }
    public int? EstimatedTimeToRegainAccess { get; init; }
}
