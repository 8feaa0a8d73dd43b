namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// Polling against the running system: the services work asynchronously (queues, passes, retries), so a test reads
/// until the state it expects shows up, and fails with the last state it saw when it never does.
/// </summary>
public static class Eventually
{
    /// <summary>Short enough not to slow a test down, long enough not to load the two shared cores with reads.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Reads until <paramref name="done"/> accepts the value, running <paramref name="betweenPolls"/> after each miss
    /// (to move the sandbox clock, say); throws <see cref="TimeoutException"/> with the last value after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, Task<bool>> done, string what, TimeSpan timeout, Func<T, Task>? betweenPolls = null, TimeSpan? pollInterval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (await done(value)) return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}. Last seen: {value}");
            if (betweenPolls is not null) await betweenPolls(value);
            await Task.Delay(pollInterval ?? PollInterval);
        }
    }

    public static Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan timeout, Func<T, Task>? betweenPolls = null, TimeSpan? pollInterval = null) =>
        ReadAsync(read, value => Task.FromResult(done(value)), what, timeout, betweenPolls, pollInterval);

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan timeout) =>
        ReadAsync(condition, holds => holds, what, timeout);

    /// <summary>For state the test process itself collects (a webhook receiver's deliveries).</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan timeout) =>
        ReadAsync(() => Task.FromResult(condition()), holds => holds, what, timeout);
}
