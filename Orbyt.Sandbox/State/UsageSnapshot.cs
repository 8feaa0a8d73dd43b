namespace Orbyt.Sandbox.State;

public sealed record UsageSnapshot(int CallCount, int TotalTime, int TotalCputime, int EstimatedMinutes)
{
    public bool Throttled => CallCount >= 100 || TotalTime >= 100 || TotalCputime >= 100;
}
