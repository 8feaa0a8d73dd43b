using System.Diagnostics;
using System.Text;

namespace Orbyt.IntegrationTests.Api;

/// <summary>
/// clients/typescript against the running system: its generated types must be what openapi-typescript makes of the
/// document the API serves, that document must pass the OpenAPI 3.1 validators, and its node --test suite (connect,
/// publish, poll, webhook) must pass against this AppHost. Needs node and npm (scripts/prerequisites.sh node).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TypeScriptClientTests(AppHostFixture fixture)
{
    private static readonly string ClientDirectory = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "clients", "typescript");
    private static readonly SemaphoreSlim Install = new(1, 1);
    private static bool _installed;

    [Fact]
    public async Task The_committed_types_are_what_openapi_typescript_generates_from_the_served_document()
    {
        await NpmCiAsync();
        var directory = Directory.CreateTempSubdirectory("orbyt-ts-");
        try
        {
            var document = Path.Combine(directory.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await fixture.Api.GetStringAsync("/openapi/v1.json"));
            var generated = Path.Combine(directory.FullName, "schema.d.ts");
            await RunAsync("node", ["node_modules/openapi-typescript/bin/cli.js", document, "-o", generated], TimeSpan.FromMinutes(2));

            var committed = await File.ReadAllTextAsync(Path.Combine(ClientDirectory, "src", "schema.d.ts"));
            Assert.True(committed.ReplaceLineEndings("\n") == (await File.ReadAllTextAsync(generated)).ReplaceLineEndings("\n"),
                "clients/typescript/src/schema.d.ts differs from the types of /openapi/v1.json: update docs/openapi.json (ORBYT_UPDATE_DOCS=1) and run `npm run generate` in clients/typescript.");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_served_document_passes_the_openapi_3_1_validators()
    {
        await NpmCiAsync();
        var document = Path.Combine(Directory.CreateTempSubdirectory("orbyt-ts-").FullName, "openapi.json");
        try
        {
            await File.WriteAllTextAsync(document, await fixture.Api.GetStringAsync("/openapi/v1.json"));
            var output = await RunAsync("node", ["scripts/lint-openapi.mjs", document], TimeSpan.FromMinutes(2));
            Assert.Contains("valid OpenAPI 3.1.0 document", output);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(document)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_node_test_suite_connects_publishes_polls_and_verifies_a_webhook_through_the_typed_client()
    {
        await NpmCiAsync();
        await RunAsync("npm", ["run", "build"], TimeSpan.FromMinutes(3));
        var output = await RunAsync("npm", ["test"], TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["ORBYT_API_URL"] = fixture.Api.BaseAddress!.ToString(),
            ["ORBYT_API_KEY"] = fixture.BootstrapApiKey,
            ["ORBYT_SANDBOX_URL"] = fixture.Sandbox.BaseAddress!.ToString(),
        });
        // node's runner ends with "# pass N" and "# fail 0"; a suite that ran nothing must not pass.
        Assert.Matches(@"# pass [1-9]", output);
        Assert.Contains("# fail 0", output);
    }

    private static async Task NpmCiAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (_installed) return;
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            _installed = true;
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>Runs a command in clients/typescript; fails with everything it printed when it exits non-zero or overruns.</summary>
    private static async Task<string> RunAsync(string file, string[] arguments, TimeSpan timeout, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = ClientDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
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

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (output) output.AppendLine(line);
    }
}
