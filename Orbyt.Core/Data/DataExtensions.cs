using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Orbyt.Core.Data;

public static class DataExtensions
{
    /// <summary>The connection name the AppHost gives the database resource.</summary>
    public const string DatabaseResourceName = "orbyt";

    /// <summary>
    /// Registers <see cref="OrbytDbContext"/> through the Aspire Npgsql EF Core integration (pooling, health check,
    /// telemetry, retries). <paramref name="connectionDefaults"/> adds a service's own connection-string defaults (the
    /// API's short timeouts); <paramref name="configureOptions"/> its own EF options (the API's database circuit).
    /// </summary>
    public static IHostApplicationBuilder AddOrbytDatabase(this IHostApplicationBuilder builder,
        Func<string?, string?>? connectionDefaults = null, Action<DbContextOptionsBuilder>? configureOptions = null)
    {
        builder.AddNpgsqlDbContext<OrbytDbContext>(DatabaseResourceName,
            configureSettings: settings =>
            {
                settings.ConnectionString = WithPoolDefaults(settings.ConnectionString);
                if (connectionDefaults is not null) settings.ConnectionString = connectionDefaults(settings.ConnectionString);
            },
            configureDbContextOptions: options =>
            {
                options.UseSnakeCaseNamingConvention();
                configureOptions?.Invoke(options);
            });
        return builder;
    }

    /// <summary>
    /// Npgsql settings for short statements at a high rate, unless the connection string sets them itself
    /// (docs/benchmarks.md, pipeline: together they halved PostgreSQL's CPU per job):
    /// <list type="bullet">
    /// <item><c>No Reset On Close</c>: a pooled connection is not reset with <c>DISCARD ALL</c> each time it is returned
    /// (EF Core opens and returns it around every query, so that was several extra statements per request). Orbyt
    /// sets nothing at session level — every <c>set_config</c> is transaction-local — so nothing leaks between uses.</item>
    /// <item><c>Max Auto Prepare</c>: statements that run often are prepared once per physical connection, so
    /// PostgreSQL stops parsing and planning the same INSERT and UPDATE for every job.</item>
    /// </list>
    /// </summary>
    public static string? WithPoolDefaults(string? connectionString) =>
        WithDefaults(connectionString, ("No Reset On Close", true), ("Max Auto Prepare", 64));

    /// <summary>Sets each Npgsql keyword the connection string does not set itself (spelled with or without spaces).</summary>
    public static string? WithDefaults(string? connectionString, params (string Keyword, object Value)[] defaults)
    {
        if (string.IsNullOrEmpty(connectionString)) return connectionString;
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(Compact).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        foreach (var (keyword, value) in defaults)
        {
            if (!given.Contains(Compact(keyword))) builder[keyword] = value;
        }
        return builder.ConnectionString;
    }

    private static string Compact(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal);
}
