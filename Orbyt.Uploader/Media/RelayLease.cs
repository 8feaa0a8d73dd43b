namespace Orbyt.Uploader.Media;

/// <summary>One admitted relay: its copy buffer from the <see cref="RelayBudget"/>, given back on dispose.</summary>
public sealed class RelayLease(RelayBudget budget, byte[] buffer) : IDisposable
{
    private int _disposed;

    /// <summary>The relay's copy buffer (exactly the budget's buffer size; a pooled array may be longer).</summary>
    public Memory<byte> Buffer { get; } = buffer.AsMemory(0, budget.BufferSize);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) budget.Return(buffer);
    }
}
