using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// A three-node Redis Cluster of local <c>redis-server</c> processes (three masters, no replicas, every slot
/// covered), for the run of the Redis-facing tests against a cluster (<see cref="AppHostFixture"/>,
/// <c>ORBYT_TEST_REDIS=cluster</c>; docs/operations.md). Throw-away: no persistence, its folder deleted at the end.
/// </summary>
public sealed class LocalRedisCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<Process> _nodes = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orbyt-redis-cluster-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The nodes' addresses, comma-separated: a StackExchange.Redis configuration that finds the whole cluster.</summary>
    public string ConnectionString { get; private set; } = "";

    public static async Task<LocalRedisCluster> StartAsync(int nodes = 3)
    {
        var cluster = new LocalRedisCluster();
        try
        {
            await cluster.StartNodesAsync(nodes);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartNodesAsync(int count)
    {
        Directory.CreateDirectory(_directory);
        var ports = FreePorts(count);
        foreach (var port in ports)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
            _nodes.Add(Process.Start(new ProcessStartInfo("redis-server",
                ["--port", $"{port}", "--bind", "127.0.0.1", "--dir", dir, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                 "--cluster-node-timeout", "5000", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction",
                 "--logfile", Path.Combine(dir, "redis.log")])
            {
                UseShellExecute = false,
            })!);
        }
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (var port in ports)
            await UntilAsync(async () => (await CliAsync("-p", $"{port}", "ping")).Output.Trim() == "PONG", $"redis-server on {port} answering PING", deadline);

        var create = await CliAsync(["--cluster", "create", .. ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "0", "--cluster-yes"]);
        Assert.True(create.ExitCode == 0, "redis-cli --cluster create failed:\n" + create.Output);
        foreach (var port in ports)
            await UntilAsync(async () => (await CliAsync("-p", $"{port}", "cluster", "info")).Output.Contains("cluster_state:ok", StringComparison.Ordinal),
                $"node {port} reporting cluster_state:ok", deadline);
        ConnectionString = string.Join(",", ports.Select(p => $"127.0.0.1:{p}"));
    }

    /// <summary>Ports whose cluster bus port (+10000) is free too.</summary>
    private static int[] FreePorts(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            var port = Random.Shared.Next(20000, 30000);
            if (!ports.Contains(port) && Free(port) && Free(port + 10000)) ports.Add(port);
        }
        return [.. ports];

        static bool Free(int port)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, DateTime deadline)
    {
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(200);
        }
    }

    private static async Task<(int ExitCode, string Output)> CliAsync(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("redis-cli", args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            try
            {
                if (!node.HasExited) node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            node.Dispose();
        }
        try
        {
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner takes the rest.
        }
    }
}
