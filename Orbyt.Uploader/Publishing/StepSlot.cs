using Orbyt.Uploader.Media;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// One running step's admission: a light slot, until the step needs to relay bytes — then the light slot is given
/// back and the step waits for room in the relay budget: at most <c>RelayAdmissionWait</c>, and never more than half
/// its lease, which is renewed only once bytes flow.
/// </summary>
public sealed class StepSlot(StepAdmission admission) : IDisposable
{
    private int _holdsLight = 1;

    /// <summary>
    /// Admission to relay bytes, with the relay's copy buffer; null when the relay budget had no room in time (the
    /// step then comes back later, scheduled in Postgres, instead of holding its job in memory).
    /// </summary>
    public async Task<RelayLease?> EnterRelayAsync(CancellationToken ct)
    {
        ReleaseLight();
        return await admission.Relays.TryEnterAsync(RelayWait(admission.Options), ct);
    }

    /// <summary>How long a step waits for relay room: its lease is renewed only once bytes flow.</summary>
    public static TimeSpan RelayWait(UploaderOptions options) =>
        options.RelayAdmissionWait < options.LeaseDuration / 2 ? options.RelayAdmissionWait : options.LeaseDuration / 2;

    public void Dispose() => ReleaseLight();

    private void ReleaseLight()
    {
        if (Interlocked.Exchange(ref _holdsLight, 0) == 1) admission.ReleaseLight();
    }
}
