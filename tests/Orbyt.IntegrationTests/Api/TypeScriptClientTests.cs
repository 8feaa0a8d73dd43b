namespace Orbyt.IntegrationTests.Api;

/// <summary>
/// clients/typescript against the running system: its generated types must be what openapi-typescript makes of the
/// document the API serves, that document must pass the OpenAPI 3.1 validators, and its node --test suite (connect,
/// publish, poll, webhook; an Instagram carousel and a Reel with a first comment checked on the sandbox) must pass
/// against this AppHost, every one of its tests, under node and under Deno. Needs node and npm (scripts/prerequisites.sh node; Deno
/// comes from npm).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TypeScriptClientTests(AppHostFixture fixture)
{
    private static readonly NodePackage Client = NodePackage.InRepository("clients", "typescript");

    [Fact]
    public async Task The_committed_types_are_what_openapi_typescript_generates_from_the_served_document()
    {
        await Client.NpmCiAsync();
        var directory = Directory.CreateTempSubdirectory("orbyt-ts-");
        try
        {
            var document = Path.Combine(directory.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, await fixture.Api.GetStringAsync("/openapi/v1.json"));
            var generated = Path.Combine(directory.FullName, "schema.d.ts");
            await Client.RunAsync("node", ["node_modules/openapi-typescript/bin/cli.js", document, "-o", generated], TimeSpan.FromMinutes(2));

            var committed = await File.ReadAllTextAsync(Path.Combine(Client.Directory, "src", "schema.d.ts"));
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
        await Client.NpmCiAsync();
        var document = Path.Combine(Directory.CreateTempSubdirectory("orbyt-ts-").FullName, "openapi.json");
        try
        {
            await File.WriteAllTextAsync(document, await fixture.Api.GetStringAsync("/openapi/v1.json"));
            var output = await Client.RunAsync("node", ["scripts/lint-openapi.mjs", document], TimeSpan.FromMinutes(2));
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
        await Client.NpmCiAsync();
        await Client.RunAsync("npm", ["run", "build"], TimeSpan.FromMinutes(3));
        var output = await Client.RunAsync("npm", ["test"], TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["ORBYT_API_URL"] = fixture.Api.BaseAddress!.ToString(),
            ["ORBYT_API_KEY"] = fixture.BootstrapApiKey,
            ["ORBYT_SANDBOX_URL"] = fixture.Sandbox.BaseAddress!.ToString(),
        });
        NodePackage.AssertNodeTestsPassed(output, Client.CountTopLevelTests());
    }

    /// <summary>
    /// The same suite under Deno (the package's npm devDependency), straight from the TypeScript sources: the client
    /// and its webhook helper import only what Deno resolves (relative .ts paths, npm packages) and use no Node-only API.
    /// </summary>
    [Fact]
    public async Task The_same_suite_passes_under_deno_from_the_typescript_sources()
    {
        await Client.NpmCiAsync();
        var output = await Client.RunAsync("npm", ["run", "test:deno"], TimeSpan.FromMinutes(5), new Dictionary<string, string>
        {
            ["ORBYT_API_URL"] = fixture.Api.BaseAddress!.ToString(),
            ["ORBYT_API_KEY"] = fixture.BootstrapApiKey,
            ["ORBYT_SANDBOX_URL"] = fixture.Sandbox.BaseAddress!.ToString(),
        });
        // deno test ends with "ok | N passed | 0 failed": every test of the suite, none ignored.
        Assert.Matches($@"ok \| {Client.CountTopLevelTests("end-to-end.test.ts")} passed \| 0 failed", output);
    }
}
