using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Orbyt.IntegrationTests.Supabase;

/// <summary>
/// clients/supabase beside the AppHost: its own database in the AppHost's PostgreSQL (as a Supabase project's
/// database) with the kit's migrations applied, and its Edge Functions started on demand with plain Deno.
/// </summary>
public sealed class SupabaseKit : IAsyncDisposable
{
    public static readonly NodePackage Package = NodePackage.InRepository("clients", "supabase");
    private readonly List<DenoFunction> _functions = [];

    public string ConnectionString { get; }
    /// <summary>The database as a postgres:// URL, which is how Supabase hands it to a function (SUPABASE_DB_URL).</summary>
    public string DatabaseUrl { get; }

    private SupabaseKit(string connectionString, string databaseUrl)
    {
        ConnectionString = connectionString;
        DatabaseUrl = databaseUrl;
    }

    /// <summary>Installs Deno (npm ci), creates a fresh database and applies every migration of the kit, in file-name order.</summary>
    public static async Task<SupabaseKit> CreateAsync(AppHostFixture fixture)
    {
        await Package.NpmCiAsync();
        var server = new NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString);
        var database = "supabase_kit_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var kit = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database };
        await using (var connection = new NpgsqlConnection(kit.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var migration in Directory.GetFiles(Path.Combine(Package.Directory, "migrations"), "*.sql").Order(StringComparer.Ordinal))
            {
                await using var apply = new NpgsqlCommand(await File.ReadAllTextAsync(migration), connection);
                await apply.ExecuteNonQueryAsync();
            }
        }
        // The local server listens on 127.0.0.1 only; "localhost" could resolve to ::1 first for Deno.
        var host = kit.Host == "localhost" ? "127.0.0.1" : kit.Host;
        var url = $"postgres://{Uri.EscapeDataString(kit.Username!)}:{Uri.EscapeDataString(kit.Password!)}@{host}:{kit.Port}/{database}";
        return new SupabaseKit(kit.ConnectionString, url);
    }

    /// <summary>A port nobody listens on right now, for a function whose URL must be known before it starts (the webhook endpoint's).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts functions/{name}/index.ts with SUPABASE_DB_URL pointing at this database and <paramref name="environment"/>.</summary>
    public async Task<DenoFunction> StartAsync(string name, Dictionary<string, string> environment, int port = 0)
    {
        environment["SUPABASE_DB_URL"] = DatabaseUrl;
        var function = await DenoFunction.StartAsync(Package.Directory, name, port, environment);
        _functions.Add(function);
        return function;
    }

    public async Task StopAsync(DenoFunction function)
    {
        _functions.Remove(function);
        await function.DisposeAsync();
    }

    /// <summary>Runs a query on the kit's database and returns the rows as column → value (DBNull as null).</summary>
    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> CountAsync(string sql, params object[] parameters) => Convert.ToInt64((await QueryAsync(sql, parameters))[0].Values.Single());

    public async ValueTask DisposeAsync()
    {
        foreach (var function in _functions) await function.DisposeAsync();
        _functions.Clear();
        NpgsqlConnection.ClearAllPools();
    }
}
