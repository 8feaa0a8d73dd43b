using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.Http;

/// <summary>
/// Makes platform calls as slow as the scripted latency says (POST /_sandbox/latency). The call is handled at once —
/// its effect (a post, a session, an upload offset) exists as soon as the platform would have made it — and the
/// delay is spent just before the answer's first byte is written, as a response-start callback that awaits a timer:
/// no thread waits, so thousands of slow calls can be open at once. Also counts platform calls in flight.
/// </summary>
internal sealed class LatencyMiddleware(RequestDelegate next, SandboxState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var platform = SandboxHttp.PlatformOf(path);
        if (platform is null)
        {
            await next(context);
            return;
        }

        var delay = state.Latency.Enter(platform, path, context.Request.Method);
        try
        {
            if (delay > TimeSpan.Zero)
            {
                context.Response.OnStarting(() => DelayAsync(delay, context.RequestAborted));
            }

            await next(context);
        }
        finally
        {
            state.Latency.Exit();
        }
    }

    /// <summary>
    /// Waits at least <paramref name="delay"/> by the monotonic high-resolution clock. A timer alone can end a few
    /// milliseconds early (it counts in the coarse system tick), and a sandbox answering a 400 ms rule after 399 ms is
    /// kinder than the rule says; so it waits out whatever the timer left.
    /// </summary>
    private static async Task DelayAsync(TimeSpan delay, CancellationToken aborted)
    {
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            for (var left = delay; left > TimeSpan.Zero; left = delay - TimeProvider.System.GetElapsedTime(started))
            {
                await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, TimeProvider.System, aborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The caller is gone; nobody waits for the answer.
        }
    }
}
