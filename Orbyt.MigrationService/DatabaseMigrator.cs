using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;

namespace Orbyt.MigrationService;

/// <summary>Applies EF Core migrations, then stops the process; the services start only after it completed.</summary>
public sealed partial class DatabaseMigrator(IServiceProvider services, IHostApplicationLifetime lifetime, ILogger<DatabaseMigrator> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("Orbyt.MigrationService");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity("Migrate database");
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () => await db.Database.MigrateAsync(stoppingToken));
            LogMigrated(logger);
        }
        catch (Exception ex)
        {
            activity?.AddException(ex);
            LogFailed(logger, ex);
            Environment.ExitCode = 1;
        }
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrations applied.")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database migration failed.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
