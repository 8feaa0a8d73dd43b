using Npgsql;

namespace Orbyt.IntegrationTests.Support;

/// <summary>Queues work behind a row lock, so that what is sent meanwhile waits for it and goes together (group-commit tests).</summary>
public static class HeldRow
{
    /// <summary>
    /// Starts <paramref name="first"/> while a transaction holds the row <paramref name="lockRow"/> selects (<c>$1</c> =
    /// <paramref name="id"/>, <c>FOR UPDATE</c>), waits until a session waits on a lock, runs <paramref name="meanwhile"/>
    /// (the work that queues up behind it), then releases the row. Returns the first task, not completed before that.
    /// </summary>
    public static async Task<Task<T>> RunBehindAsync<T>(string connectionString, string lockRow, Guid id, Func<Task<T>> first, Func<Task> meanwhile, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(lockRow, connection, transaction) { Parameters = { new() { Value = id } } })
            await hold.ExecuteScalarAsync();
        var started = first();
        // Read from a session of its own: a transaction keeps its first view of pg_stat_activity until it ends.
        await using var observer = new NpgsqlConnection(connectionString);
        await observer.OpenAsync();
        await Eventually.TrueAsync(async () =>
        {
            await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", observer);
            return (long)(await waiting.ExecuteScalarAsync())! > 0;
        }, "the first statement waiting on the held row", timeout);
        await meanwhile();
        Assert.False(started.IsCompleted);
        await transaction.CommitAsync();
        return started;
    }
}
