using Microsoft.EntityFrameworkCore;
using Npgsql;
using Orbyt.Core.Data;

namespace Orbyt.Api.Database;

/// <summary>
/// Closes the <see cref="DatabaseCircuit"/> as soon as PostgreSQL accepts a connection again: while the circuit is
/// open it opens a fresh, unpooled connection every <see cref="Interval"/>. On success the pool is cleared (its
/// connections died with the server) and requests go through again. Idle otherwise: no polling, no spans.
/// </summary>
public sealed partial class DatabaseCircuitProbe(
    DatabaseCircuit circuit,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<DatabaseCircuitProbe> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private const int ProbeTimeoutSeconds = 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? connectionString;
        await using (var scope = scopes.CreateAsyncScope())
            connectionString = scope.ServiceProvider.GetRequiredService<OrbytDbContext>().Database.GetConnectionString();
        if (connectionString is null) return;
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = ProbeTimeoutSeconds }.ConnectionString;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await circuit.WaitUntilOpenedAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var openedAt = time.GetUtcNow();
            LogOpened(logger, circuit.Cause?.GetType().Name ?? "unknown", circuit.Cause?.Message ?? "");
            while (!stoppingToken.IsCancellationRequested && !await ReachableAsync(probe, stoppingToken))
                await Task.Delay(Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested) return;
            using (var pooled = new NpgsqlConnection(connectionString))
                NpgsqlConnection.ClearPool(pooled);
            circuit.Close();
            LogClosed(logger, (time.GetUtcNow() - openedAt).TotalSeconds);
        }
    }

    private static async Task<bool> ReachableAsync(string connectionString, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is unreachable ({ErrorType}: {Reason}); requests that need it answer 503 until it is back.")]
    private static partial void LogOpened(ILogger logger, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL is reachable again; requests go through after {Seconds:F1} s of fast failures.")]
    private static partial void LogClosed(ILogger logger, double seconds);
}
