using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Orbyt.Core.Data;

public static class DataExtensions
{
    /// <summary>The connection name the AppHost gives the database resource.</summary>
    public const string DatabaseResourceName = "orbyt";

    /// <summary>Registers <see cref="OrbytDbContext"/> through the Aspire Npgsql EF Core integration (pooling, health check, telemetry, retries).</summary>
    public static IHostApplicationBuilder AddOrbytDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<OrbytDbContext>(DatabaseResourceName,
            configureDbContextOptions: options => options.UseSnakeCaseNamingConvention());
        return builder;
    }
}
