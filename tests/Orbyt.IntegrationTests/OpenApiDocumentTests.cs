using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orbyt.IntegrationTests;

/// <summary>
/// docs/openapi.json is the committed contract (the TypeScript types are generated from it). These tests fail when the
/// running API serves something else; run them with ORBYT_UPDATE_DOCS=1 to rewrite the committed file instead.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed partial class OpenApiDocumentTests(AppHostFixture fixture)
{
    private const string RelativePath = "docs/openapi.json";
    private static readonly JsonSerializerOptions Canonical = new()
    {
        WriteIndented = true,
        // Keep '<', '>', '&' and non-ASCII readable in the committed file.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task The_committed_document_matches_what_the_api_serves()
    {
        var served = Normalize(await fixture.Api.GetStringAsync("/openapi/v1.json"));
        var path = Path.Combine(RepositoryRoot(), RelativePath);

        if (Environment.GetEnvironmentVariable("ORBYT_UPDATE_DOCS") == "1")
        {
            await File.WriteAllTextAsync(path, served);
            return;
        }

        Assert.True(File.Exists(path), $"{RelativePath} is missing; run the integration tests with ORBYT_UPDATE_DOCS=1 to generate it.");
        var committed = Normalize(await File.ReadAllTextAsync(path));
        Assert.True(committed == served,
            $"{RelativePath} differs from /openapi/v1.json; run `ORBYT_UPDATE_DOCS=1 dotnet test tests/Orbyt.IntegrationTests --filter OpenApiDocumentTests`, review the diff and commit it.");
    }

    [Fact]
    public async Task Every_v1_route_of_the_api_is_in_the_document()
    {
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        var routes = ApiRoutes();
        Assert.NotEmpty(routes);
        Assert.All(routes, route =>
        {
            Assert.True(paths.ContainsKey(route.Path), $"{route.Path} is not in the document");
            Assert.True(paths[route.Path]!.AsObject().ContainsKey(route.Method), $"{route.Method.ToUpperInvariant()} {route.Path} is not in the document");
        });
    }

    [Fact]
    public async Task The_document_serves_the_api_key_scheme_and_the_idempotency_header()
    {
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());
        var publish = document["paths"]!["/v1/publications"]!["post"]!;
        Assert.Contains(publish["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        Assert.NotNull(publish["security"]);
        // Public endpoints must not ask for a key.
        Assert.Null(document["paths"]!["/v1/errors"]!["get"]!["security"]);
    }

    [Fact]
    public async Task The_docs_page_renders_without_a_key()
    {
        using var response = await fixture.Api.GetAsync("/docs");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Parses and re-serializes, dropping what depends on where the API runs (servers, host ports).</summary>
    private static string Normalize(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("servers");
        node.Remove("host");
        node.Remove("schemes");
        return node.ToJsonString(Canonical).ReplaceLineEndings("\n") + "\n";
    }

    /// <summary>The API's /v1 routes, read from the FastEndpoints Configure() calls in src/Orbyt.Api.</summary>
    private static List<(string Method, string Path)> ApiRoutes()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "Orbyt.Api");
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => RouteCall().Matches(File.ReadAllText(f)))
            .Select(m => (m.Groups["verb"].Value.ToLowerInvariant(), m.Groups["path"].Value))
            .Distinct()
            .ToList();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orbyt.Aspire.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Orbyt.Aspire.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""\b(?<verb>Get|Post|Put|Patch|Delete)\("(?<path>/v1/[^"]*)"\)""")]
    private static partial Regex RouteCall();
}
