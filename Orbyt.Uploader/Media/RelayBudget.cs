using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Uploader.Media;

/// <summary>
/// The memory a replica may hold for relays (bytes streamed from a media URL into a platform upload), shared by all
/// of them: each relay copies through one buffer of <c>RelayBufferSize</c> taken from <c>RelayMemoryBudget</c>, so at
/// most budget / buffer relays run at once and their buffers never exceed the budget, whatever the files' sizes.
/// </summary>
public sealed class RelayBudget
{
    private static readonly Meter Meter = new("Orbyt.Uploader.Relays");
    private readonly SemaphoreSlim _buffers;
    private int _active;

    public RelayBudget(IOptions<UploaderOptions> options)
    {
        BufferSize = options.Value.RelayBufferSize;
        Capacity = (int)(options.Value.RelayMemoryBudget / BufferSize);
        _buffers = new SemaphoreSlim(Capacity);
        Meter.CreateObservableGauge("orbyt.uploader.relays", () => Volatile.Read(ref _active), description: "Relays streaming bytes in this replica.");
    }

    public int BufferSize { get; }

    /// <summary>How many relays fit in the budget at once.</summary>
    public int Capacity { get; }

    public int Active => Volatile.Read(ref _active);

    /// <summary>A buffer from the budget, waiting at most <paramref name="wait"/> for one; null if none came free.</summary>
    public async Task<RelayLease?> TryEnterAsync(TimeSpan wait, CancellationToken ct)
    {
        if (!await _buffers.WaitAsync(wait, ct)) return null;
        Interlocked.Increment(ref _active);
        return new RelayLease(this, System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize));
    }

    internal void Return(byte[] buffer)
    {
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        Interlocked.Decrement(ref _active);
        _buffers.Release();
    }
}
