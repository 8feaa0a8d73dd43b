using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orbyt.AppHost.Infrastructure;

public static class InfrastructureExtensions
{
    public const string RedisName = "redis";
    public const string PostgresName = "postgres";
    public const string DatabaseName = "orbyt";

    /// <summary>
    /// Adds Redis and PostgreSQL as containers when a container runtime answers, else as local executables with
    /// the same resource names and connection strings. <c>Orbyt:Infrastructure</c> = auto | containers | executables.
    /// <c>Orbyt:EphemeralData</c> = true gives throw-away data (tests); otherwise data survives restarts.
    /// A connection string <c>ConnectionStrings:redis</c> in the AppHost's configuration uses that Redis instead of
    /// running one: a managed Redis, or a Redis Cluster (its nodes' addresses, comma-separated; the tests' cluster run).
    /// </summary>
    public static OrbytInfrastructure AddOrbytInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var mode = builder.Configuration["Orbyt:Infrastructure"] ?? "auto";
        var ephemeral = builder.Configuration.GetValue("Orbyt:EphemeralData", false);
        var useContainers = mode switch
        {
            "containers" => true,
            "executables" => false,
            "auto" => ContainerRuntimeAnswers(),
            _ => throw new InvalidOperationException($"Orbyt:Infrastructure must be auto, containers or executables, not '{mode}'."),
        };

        var postgresPassword = builder.AddParameter("postgres-password", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);

        var existingRedis = builder.Configuration.GetConnectionString(RedisName) is { Length: > 0 } ? builder.AddConnectionString(RedisName) : null;

        if (useContainers)
        {
            var postgres = builder.AddPostgres(PostgresName, password: postgresPassword);
            if (!ephemeral) postgres.WithDataVolume("orbyt-postgres-data");
            var database = postgres.AddDatabase(DatabaseName);
            if (existingRedis is not null) return new OrbytInfrastructure(existingRedis, As(database));
            var redis = builder.AddRedis(RedisName);
            if (!ephemeral) redis.WithDataVolume("orbyt-redis-data").WithPersistence();
            return new OrbytInfrastructure(As(redis), As(database));
        }

        var dataRoot = DataRoot(builder.Configuration, ephemeral);
        var localPostgres = builder.AddLocalPostgres(PostgresName, Path.Combine(dataRoot, "postgres"), postgresPassword);
        var localDatabase = localPostgres.AddLocalDatabase(DatabaseName);
        return new OrbytInfrastructure(
            existingRedis ?? As(builder.AddLocalRedis(RedisName, Path.Combine(dataRoot, "redis"), persistent: !ephemeral)),
            As(localDatabase));
    }

    private static IResourceBuilder<IResourceWithConnectionString> As<T>(IResourceBuilder<T> builder) where T : IResourceWithConnectionString =>
        builder.ApplicationBuilder.CreateResourceBuilder<IResourceWithConnectionString>(builder.Resource);

    /// <summary>Without a runtime, container resources sit in RuntimeUnhealthy and their dependents wait forever: probe first.</summary>
    private static bool ContainerRuntimeAnswers()
    {
        foreach (var runtime in new[] { "docker", "podman" })
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(runtime, "info")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                });
                if (process is null) continue;
                if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    process.Kill(entireProcessTree: true);
                    continue;
                }
                if (process.ExitCode == 0) return true;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }
        return false;
    }

    private static string DataRoot(IConfiguration configuration, bool ephemeral)
    {
        if (ephemeral)
            return Path.Combine(Path.GetTempPath(), "orbyt-apphost-" + Guid.NewGuid().ToString("N")[..12]);
        if (configuration["Orbyt:DataDirectory"] is { Length: > 0 } configured)
            return configured;
        // As root, postgres runs as the postgres user, which cannot traverse /root: keep data under /var/lib.
        return LocalProcess.IsRoot
            ? "/var/lib/orbyt"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "orbyt");
    }
}
