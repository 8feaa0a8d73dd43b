namespace Orbyt.Api.Database;

/// <summary>
/// Whether PostgreSQL is known to be away. The first request that cannot reach it opens the circuit; while it is
/// open every request that needs the database answers <c>503 service_unavailable</c> with <c>Retry-After</c> at once
/// instead of waiting for a connection that will not come, and <see cref="DatabaseCircuitProbe"/> tries a fresh
/// connection every <see cref="DatabaseCircuitProbe.Interval"/> and closes the circuit as soon as one opens.
/// Requests that do not touch the database (the error catalog, the OpenAPI document) are not affected.
/// </summary>
public sealed class DatabaseCircuit
{
    /// <summary>What a 503 tells the caller: the probe looks every half second, so a retry after this is likely to go through.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The API's connect timeout (Npgsql <c>Timeout</c>, default 15 s) unless the connection string sets one: a
    /// database that does not answer within it is treated as away. It also bounds the wait for a free pooled connection.
    /// </summary>
    public const int ConnectTimeoutSeconds = 2;

    /// <summary>The API's statement timeout (Npgsql <c>Command Timeout</c>, default 30 s) unless the connection string sets one: its statements take milliseconds.</summary>
    public const int CommandTimeoutSeconds = 5;

    private readonly SemaphoreSlim _opened = new(0, 1);
    private volatile Exception? _cause;

    public bool IsOpen => _cause is not null;

    /// <summary>The failure that opened the circuit, or null while it is closed.</summary>
    public Exception? Cause => _cause;

    /// <summary>Opens the circuit after a connection attempt failed; the probe takes it from there.</summary>
    public void Open(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _cause, cause, null) is null && _opened.CurrentCount == 0)
            _opened.Release();
    }

    public void Close() => _cause = null;

    /// <summary>Thrown instead of opening a connection while the circuit is open.</summary>
    public void ThrowIfOpen()
    {
        if (_cause is { } cause) throw new DatabaseUnavailableException(cause);
    }

    /// <summary>Completes when the circuit has been opened (for the probe).</summary>
    internal Task WaitUntilOpenedAsync(CancellationToken ct) => _opened.WaitAsync(ct);
}
