using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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
            await strategy.ExecuteAsync(async () =>
            {
                // EF's Migrate reads __EFMigrationsHistory before it creates it: on an empty database that read fails and
                // EF logs it as an error, a red entry on every first start. Creating the table first (IF NOT EXISTS,
                // what Migrate runs next anyway) makes the read find an empty history instead.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(stoppingToken);
                await db.Database.MigrateAsync(stoppingToken);
            });
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
