namespace Orbyt.Sandbox.State;

/// <summary>
/// The sandbox's own clock: real time plus an offset that tests move forward through the control API, so token
/// expiry, processing delays and daily quotas can be reached without waiting.
/// </summary>
public sealed class SandboxClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "The sandbox clock only moves forward.");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);

    public long UnixNow => GetUtcNow().ToUnixTimeSeconds();
}
