using System.Collections.Concurrent;

namespace Orbyt.Api.Caching;

/// <summary>
/// Concurrent cache misses for one key share one read. When a cached entry expires under load every request in flight
/// misses at once; without this each reads the same row, on a pooled connection of its own — the pipeline bench saw
/// 16 such reads at once, each on a cold connection, stall every create for tens of milliseconds (docs/benchmarks.md,
/// issue 20, fifth session). The first request's read is the shared one; it is not cancelled with that request (it is
/// one short statement), and the others stop waiting when theirs are.
/// </summary>
public sealed class SharedReads<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _reading = new();

    /// <summary>Runs <paramref name="read"/> (which also fills the cache) unless a read for <paramref name="key"/> is already running, then waits for that one.</summary>
    public async Task<TValue> ReadAsync(TKey key, Func<Task<TValue>> read, CancellationToken ct)
    {
        var mine = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = _reading.GetOrAdd(key, mine.Task);
        if (reading != mine.Task)
            return await reading.WaitAsync(ct);
        try
        {
            mine.SetResult(await read());
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
        }
        finally
        {
            _reading.TryRemove(KeyValuePair.Create(key, mine.Task));
        }
        return await mine.Task;
    }
}
