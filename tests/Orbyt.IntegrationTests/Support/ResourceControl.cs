using System.Diagnostics;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// Stops, kills and starts the AppHost's resources for the restart and crash tests, every wait bounded.
/// A stop is judged by the process ending, not by the command's answer: a worker's shutdown can outlast DCP's stop
/// timeout (its OTLP exporter flushes towards an absent collector for up to 10 s), so the command may report a
/// failure for a process that does exit.
/// </summary>
public sealed class ResourceControl(DistributedApplication app)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    /// <summary>SIGKILL to the resource's process tree: no graceful shutdown, no chance to record anything.</summary>
    public async Task KillAsync(string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state));
        var pid = Convert.ToInt32(state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value);
        using (var process = Process.GetProcessById(pid))
            process.Kill(entireProcessTree: true);
        await WaitForTerminalAsync(resource);
    }

    public async Task StopAsync(string resource)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cts.Token);
        await WaitForTerminalAsync(resource);
    }

    /// <summary>
    /// Starts a resource and waits until its process runs, or until the AppHost calls it healthy. After a process is
    /// killed, DCP's endpoint proxy sometimes stops forwarding the AppHost's probes to the new process (seen in one of
    /// five full runs: the Uploader answered /health directly and published the jobs, while the probe through the
    /// proxy timed out), so the crash tests wait for the work getting done instead of for healthy.
    /// </summary>
    public async Task StartAsync(string resource, bool untilHealthy = false)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        var start = await app.ResourceCommands.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cts.Token);
        Assert.True(start.Success, start.Message);
        if (untilHealthy)
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        else
            await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.Running, cts.Token);
    }

    /// <summary>Stop (waiting for the process to end), then start and wait until healthy: DCP's own restart command
    /// fails half-way, leaving the resource stopped, when the stop outlasts its timeout.</summary>
    public async Task RestartAsync(string resource)
    {
        await StopAsync(resource);
        await StartAsync(resource, untilHealthy: true);
    }

    /// <summary>Starts the resource again if an earlier test left it stopped or killed.</summary>
    public async Task EnsureRunningAsync(string resource)
    {
        if (app.ResourceNotifications.TryGetCurrentState(resource, out var state)
            && state.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s))
            await StartAsync(resource);
    }

    private async Task WaitForTerminalAsync(string resource)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s), cts.Token);
    }
}
