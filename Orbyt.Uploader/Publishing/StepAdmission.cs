using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Orbyt.Uploader.Media;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Admission of job steps by kind, per replica. A step is light while it waits on the platforms' answers (API calls,
/// status checks, publishes: a few KiB and no thread each), so hundreds run at once (<c>MaxLightSteps</c>); a step
/// that relays bytes through the process (a video pushed to YouTube or a Page) needs memory, so relays are admitted
/// by the shared <see cref="RelayBudget"/> instead — a few at once — and a step waiting for, or running, a relay
/// gives its light slot back.
/// </summary>
public sealed class StepAdmission
{
    private static readonly Meter Meter = new("Orbyt.Uploader");
    private readonly SemaphoreSlim _light;
    private int _lightInUse;

    public StepAdmission(IOptions<UploaderOptions> options, RelayBudget relays)
    {
        Options = options.Value;
        Relays = relays;
        _light = new SemaphoreSlim(Options.MaxLightSteps);
        Meter.CreateObservableGauge("orbyt.uploader.light_steps", () => Volatile.Read(ref _lightInUse), description: "Light job steps in flight in this replica.");
    }

    public UploaderOptions Options { get; }
    public RelayBudget Relays { get; }

    /// <summary>Light slots free now.</summary>
    public int LightFree => _light.CurrentCount;

    /// <summary>Light slots taken now.</summary>
    public int LightInUse => Volatile.Read(ref _lightInUse);

    /// <summary>Waits until at least one light slot is free and returns how many are (the consumer reads that many entries).</summary>
    public async Task<int> WaitForLightSlotsAsync(CancellationToken ct)
    {
        await _light.WaitAsync(ct);
        _light.Release();
        return _light.CurrentCount;
    }

    /// <summary>A light slot for one step, held until the step ends or turns into a relay.</summary>
    public async Task<StepSlot> EnterAsync(CancellationToken ct)
    {
        await _light.WaitAsync(ct);
        Interlocked.Increment(ref _lightInUse);
        return new StepSlot(this);
    }

    internal void ReleaseLight()
    {
        Interlocked.Decrement(ref _lightInUse);
        _light.Release();
    }
}
