using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Orbyt.AppHost.Infrastructure;

public static class LocalPostgresExtensions
{
    private const string PostgresUser = "postgres";

    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string dataDirectory,
        IResourceBuilder<ParameterResource> password)
    {
        var postgres = LocalProcess.Find("postgres");
        var asRoot = LocalProcess.IsRoot;
        var resource = new LocalPostgresResource(name, asRoot ? "setpriv" : postgres, Path.GetDirectoryName(dataDirectory)!, dataDirectory, password.Resource);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new NpgsqlHealthCheck(() => resource.ConnectionStringExpression.GetValueAsync(default)), HealthStatus.Unhealthy, null));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource, async (_, ct) =>
            await InitializeDataDirectoryAsync(resource, asRoot, ct));

        return builder.AddResource(resource)
            .WithEndpoint(name: "tcp", scheme: "tcp")
            .WithArgs(context =>
            {
                if (asRoot)
                {
                    foreach (var arg in SetprivArgs()) context.Args.Add(arg);
                    context.Args.Add(postgres);
                }
                context.Args.Add("-D");
                context.Args.Add(dataDirectory);
                context.Args.Add("-p");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
                // No unix socket: avoids needing /var/run/postgresql.
                context.Args.Add("-c");
                context.Args.Add("unix_socket_directories=");
                context.Args.Add("-c");
                context.Args.Add("max_connections=300");
                context.Args.Add("-c");
                context.Args.Add("fsync=on");
            })
            .WithHealthCheck(healthCheckKey);
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddLocalDatabase(this IResourceBuilder<LocalPostgresResource> server, string name)
    {
        var builder = server.ApplicationBuilder;
        var database = new LocalPostgresDatabaseResource(name, name, server.Resource);

        // The database resource has no process: DCP gives it no state, so publish it here once it exists,
        // otherwise everything that waits for it waits forever.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (@event, ct) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var serverConnection = await server.Resource.ConnectionStringExpression.GetValueAsync(ct);
            await CreateDatabaseIfMissingAsync(serverConnection!, database.DatabaseName, ct);
            await notifications.PublishUpdateAsync(database, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });

        return builder.AddResource(database)
            .WithParentRelationship(server)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.database", name)],
            });
    }

    private static string[] SetprivArgs() => ["--reuid=" + PostgresUser, "--regid=" + PostgresUser, "--init-groups", "--"];

    private static async Task InitializeDataDirectoryAsync(LocalPostgresResource resource, bool asRoot, CancellationToken ct)
    {
        var dataDirectory = resource.DataDirectory;
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            return;

        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(Path.GetDirectoryName(dataDirectory)!, $".pwfile-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, await resource.Password.GetValueAsync(ct), ct);
        try
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (asRoot)
            {
                await LocalProcess.RunAsync("chown", [$"{PostgresUser}:{PostgresUser}", passwordFile], ct);
                await LocalProcess.RunAsync("chown", ["-R", $"{PostgresUser}:{PostgresUser}", dataDirectory], ct);
            }
            string[] initdbArgs = ["-D", dataDirectory, "-U", PostgresUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C.UTF-8"];
            if (asRoot)
                await LocalProcess.RunAsync("setpriv", [.. SetprivArgs(), LocalProcess.Find("initdb"), .. initdbArgs], ct);
            else
                await LocalProcess.RunAsync(LocalProcess.Find("initdb"), initdbArgs, ct);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task CreateDatabaseIfMissingAsync(string serverConnectionString, string databaseName, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    private sealed class NpgsqlHealthCheck(Func<ValueTask<string?>> connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(await connectionString());
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("postgres does not accept connections yet.", ex);
            }
        }
    }
}
