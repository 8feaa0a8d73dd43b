using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Orbyt.IntegrationTests.Supabase;

/// <summary>
/// One Edge Function of clients/supabase run as Supabase runs it, minus the Supabase CLI (which needs Docker): its
/// unchanged index.ts under the Deno of the kit's package (npm devDependency), with <c>Deno.serve</c> bound through
/// <c>DENO_SERVE_ADDRESS</c> and the function's settings as environment variables.
/// </summary>
public sealed partial class DenoFunction : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Uri Url { get; }

    private DenoFunction(Process process, Uri url, StringBuilder output)
    {
        _process = process;
        Url = url;
        _output = output;
    }

    /// <summary>Everything the function printed so far (it logs one line per request).</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts <c>functions/{name}/index.ts</c> on 127.0.0.1:<paramref name="port"/> (0: any free port) and waits until it listens.</summary>
    public static async Task<DenoFunction> StartAsync(string kitDirectory, string name, int port, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path.Combine(kitDirectory, "node_modules", ".bin", "deno"))
        {
            WorkingDirectory = kitDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The lock file pins every npm package the function imports; --frozen refuses anything it does not list.
        foreach (var argument in new[] { "run", "--frozen", "--allow-net", "--allow-env", "--allow-read", $"functions/{name}/index.ts" })
            start.ArgumentList.Add(argument);
        start.Environment["DENO_SERVE_ADDRESS"] = $"tcp:127.0.0.1:{port}";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = Process.Start(start) ?? throw new InvalidOperationException("deno did not start");
        void Pump(StreamReader reader) => _ = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lock (output) output.AppendLine(line);
                if (ListeningLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        });
        Pump(process.StandardOutput);
        Pump(process.StandardError);

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(StartTimeout));
        if (first != listening.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            lock (output) Assert.Fail($"{name} did not start listening:\n{output}");
        }
        return new DenoFunction(process, await listening.Task, output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
