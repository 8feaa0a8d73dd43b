using System.Collections.Concurrent;

namespace Orbyt.Sandbox.State;

/// <summary>Counters tests assert on: calls per "METHOD /path" and refresh-token grants per refresh token.</summary>
public sealed class CallLog
{
    private const int Kept = 2000;
    private readonly ConcurrentDictionary<string, int> _perPath = new();
    private readonly ConcurrentDictionary<string, int> _refreshGrants = new();
    private readonly ConcurrentQueue<CallRecord> _recent = new();

    public void Record(CallRecord call)
    {
        _perPath.AddOrUpdate($"{call.Method} {call.Path}", 1, (_, n) => n + 1);
        _recent.Enqueue(call);
        while (_recent.Count > Kept && _recent.TryDequeue(out _))
        {
        }
    }

    public void RecordRefreshGrant(string refreshToken) => _refreshGrants.AddOrUpdate(refreshToken, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, int> PerPath => new SortedDictionary<string, int>(_perPath, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> RefreshGrants => new Dictionary<string, int>(_refreshGrants);

    public IReadOnlyList<CallRecord> Recent => _recent.ToArray();

    public void Clear()
    {
        _perPath.Clear();
        _refreshGrants.Clear();
        _recent.Clear();
    }
}
