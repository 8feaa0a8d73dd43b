using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orbyt.Core.Data;

namespace Orbyt.Core.Hosting;

/// <summary>
/// Builds the EF model and opens the first database connection before the worker serves <c>/health</c> (hosted
/// services start before Kestrel listens). Cold, on a busy machine, that took 7–11 s, longer than the AppHost's probe
/// waits: the probe gave up, the <c>OrbytDbContext</c> check was cancelled and logged as an unhealthy error on an
/// otherwise clean start. Warmed up first, the worker answers its first probe healthy. Best effort: a database that is
/// not there yet is the health check's business, not a reason to stop starting.
/// </summary>
public sealed class DatabaseWarmup(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        try
        {
            // What the Aspire DbContext health check runs.
            await db.Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Left to the health check and the loops' own retries.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
