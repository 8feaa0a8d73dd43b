using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Orbyt.Bench.TokenRefresher;

/// <summary>
/// A throw-away PostgreSQL server for the benchmark (initdb in a temp folder, trust auth on 127.0.0.1, a free port).
/// As root, initdb and postgres run as the postgres user through setpriv, as the AppHost does.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _server;

    public string ConnectionString { get; }

    private LocalPostgres(string directory, Process server, int port)
    {
        _directory = directory;
        _server = server;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public static async Task<LocalPostgres> StartAsync()
    {
        var asRoot = Environment.UserName == "root";
        var directory = Path.Combine(asRoot ? "/var/tmp" : Path.GetTempPath(), "orbyt-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(data);
        if (asRoot) await RunAsync("chown", ["-R", "postgres:postgres", directory]);
        string[] initdb = [Find("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"];
        await RunAsync(asRoot ? "setpriv" : initdb[0], asRoot ? [.. Setpriv, .. initdb] : initdb[1..]);

        var port = FreePort();
        string[] postgres = [Find("postgres"), "-D", data, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=", "-c", "max_connections=300", "-c", "shared_buffers=256MB"];
        var start = new ProcessStartInfo(asRoot ? "setpriv" : postgres[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in asRoot ? [.. Setpriv, .. postgres] : postgres[1..]) start.ArgumentList.Add(arg);
        var server = Process.Start(start)!;
        server.ErrorDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();

        var instance = new LocalPostgres(directory, server, port);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(instance.ConnectionString);
                await connection.OpenAsync();
                return instance;
            }
            catch (Exception) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !server.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    private static readonly string[] Setpriv = ["--reuid=postgres", "--regid=postgres", "--init-groups"];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : [])
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"'{name}' not found; install PostgreSQL or pass --connection-string.");

    private static async Task RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            // SIGINT: PostgreSQL's fast shutdown (SIGKILL would leave its backends behind).
            await RunAsync("kill", ["-INT", _server.Id.ToString()]);
            await _server.WaitForExitAsync();
        }
        _server.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
