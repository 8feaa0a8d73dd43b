using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orbyt.Core.Data;
using Orbyt.TokenRefresher.Scheduling;

internal static class Measure
{
    /// <summary>The claim statement itself (inside a rolled-back transaction, so the benchmark run still finds everything due).</summary>
    public static async Task ClaimAsync(IServiceProvider provider, RefreshScheduler scheduler, int batch)
    {
        var timings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var watch = Stopwatch.StartNew();
            var claimed = await scheduler.ClaimDueAsync(db, DateTimeOffset.UtcNow, CancellationToken.None);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            await tx.RollbackAsync();
            if (claimed.Count != batch) Console.WriteLine($"(claimed {claimed.Count})");
        }
        Console.WriteLine($"claim of a batch of {batch}: median {timings.Order().ElementAt(timings.Count / 2):F1} ms (runs: {string.Join(", ", timings.Select(t => t.ToString("F1")))})");
    }

    public static async Task IdlePassAsync(RefreshScheduler scheduler)
    {
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var result = await scheduler.RunPassAsync(CancellationToken.None);
            timings.Add(result.Duration.TotalMilliseconds);
        }
        Console.WriteLine($"whole pass (pull-forward, backlog gauge, claim) with nothing due: median {timings.Order().ElementAt(timings.Count / 2):F1} ms over {timings.Count} passes");
    }

    public static async Task ExplainAsync(string connectionString, int batch)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var sql = RefreshScheduler.DueQueryForExplain.Replace("LIMIT 200", $"LIMIT {batch}");
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, connection, tx);
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) Console.WriteLine("  " + reader.GetString(0));
        await tx.RollbackAsync();
    }
}
