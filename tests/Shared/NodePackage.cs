using System.Diagnostics;
using System.Text;

namespace Orbyt.TestSupport;

/// <summary>
/// A node package of the repository (clients/typescript, tests/node-googleapis) that a test installs once with
/// <c>npm ci</c> and runs commands in. Needs node and npm (scripts/prerequisites.sh node). Compiled into each test
/// project that runs one.
/// </summary>
public sealed class NodePackage(string directory)
{
    private readonly SemaphoreSlim _install = new(1, 1);
    private bool _installed;

    public string Directory { get; } = directory;

    /// <summary>The package under the repository root (the folder holding Orbyt.Aspire.sln).</summary>
    public static NodePackage InRepository(params string[] relative) => new(Path.Combine([RepositoryRoot.Find(), .. relative]));

    /// <summary><c>npm ci</c> from the committed lock file, once per test run.</summary>
    public async Task NpmCiAsync()
    {
        await _install.WaitAsync();
        try
        {
            if (_installed) return;
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            _installed = true;
        }
        finally
        {
            _install.Release();
        }
    }

    /// <summary>Runs a command in the package; fails with everything it printed when it exits non-zero or overruns.</summary>
    public async Task<string> RunAsync(string file, string[] arguments, TimeSpan timeout, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? []) start.Environment[name] = value;
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = new StringBuilder();
        var lines = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await lines;
            Assert.Fail($"`{file} {string.Join(' ', arguments)}` ran longer than {timeout}:\n{output}");
        }
        await lines;
        Assert.True(process.ExitCode == 0, $"`{file} {string.Join(' ', arguments)}` exited with {process.ExitCode}:\n{output}");
        return output.ToString();
    }

    /// <summary>node's test runner ends with "# pass N" and "# fail 0"; a suite that ran nothing must not pass.</summary>
    public static void AssertNodeTestsPassed(string output)
    {
        Assert.Matches(@"# pass [1-9]", output);
        Assert.Contains("# fail 0", output);
    }

    /// <summary>As <see cref="AssertNodeTestsPassed(string)"/>, and exactly <paramref name="expected"/> tests passed (none skipped or lost).</summary>
    public static void AssertNodeTestsPassed(string output, int expected)
    {
        AssertNodeTestsPassed(output);
        Assert.Matches($@"(?m)^# pass {expected}$", output);
    }

    /// <summary>How many top-level <c>test(…)</c> calls the package's test sources matching <paramref name="files"/> hold (what a full run of them must pass).</summary>
    public int CountTopLevelTests(string files = "*.test.ts") =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "test"), files)
            .Sum(file => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(file), @"(?m)^test\(").Count);

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (output) output.AppendLine(line);
    }
}
