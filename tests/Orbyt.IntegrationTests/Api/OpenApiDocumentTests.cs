using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Orbyt.IntegrationTests.Api;

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
        var path = Path.Combine(RepositoryRoot.Find(), RelativePath);

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
    public async Task The_document_is_openapi_3_1_and_describes_every_webhook_event_with_its_signature_headers()
    {
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;

        Assert.Equal("3.1.0", document["openapi"]!.GetValue<string>());
        Assert.DoesNotContain("\"nullable\"", document.ToJsonString());
        var webhooks = document["webhooks"]!.AsObject();
        Assert.Equal(Orbyt.Core.Webhooks.WebhookEventTypes.All.Order(), webhooks.Select(w => w.Key).Order());
        foreach (var (type, item) in webhooks)
        {
            var post = item!["post"]!;
            var headers = post["parameters"]!.AsArray().Select(p => p!["$ref"]!.GetValue<string>()).ToArray();
            Assert.Equal(["#/components/parameters/WebhookId", "#/components/parameters/WebhookTimestamp", "#/components/parameters/WebhookSignature"], headers);
            var schemaName = post["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1];
            var schema = document["components"]!["schemas"]![schemaName]!;
            Assert.Equal(type, schema["properties"]!["type"]!["const"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Every_problem_response_lists_its_catalog_codes_with_an_example_each()
    {
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;
        var catalog = Orbyt.Core.Errors.ErrorCatalog.All.ToDictionary(e => e.Code);

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var problems = operation!["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5').ToArray();
                Assert.True(problems.Length > 0 || path == "/v1/errors", $"{method} {path} lists no problem response");
                foreach (var (status, response) in problems)
                {
                    var codes = response!["x-problem-codes"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray() ?? [];
                    Assert.True(codes.Length > 0, $"{method} {path} {status} has no x-problem-codes");
                    var examples = response["content"]!["application/problem+json"]!["examples"]!.AsObject();
                    Assert.All(codes, code =>
                    {
                        Assert.True(catalog.TryGetValue(code, out var entry), $"{code} is not in the catalog");
                        Assert.Equal(status, entry!.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        Assert.True(examples.ContainsKey(code), $"{method} {path} {status} has no example for {code}");
                    });
                }
            }
        }
    }

    [Fact]
    public async Task Every_catalog_code_an_endpoint_names_is_documented_for_its_operation()
    {
        var document = JsonNode.Parse(await fixture.Api.GetStringAsync("/openapi/v1.json"))!;
        var root = Path.Combine(RepositoryRoot.Find(), "Orbyt.Api", "Features");
        var checkedEndpoints = 0;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            // One chunk per top-level type: an endpoint class holds its route and the catalog entries it throws.
            foreach (var chunk in TypeDeclaration().Split(File.ReadAllText(file)))
            {
                if (RouteCall().Match(chunk) is not { Success: true } route) continue;
                var (method, path) = (route.Groups["verb"].Value.ToLowerInvariant(), route.Groups["path"].Value);
                var documented = document["paths"]![path]![method]!["x-problem-codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToHashSet();
                foreach (Match use in CatalogUse().Matches(chunk))
                {
                    var field = typeof(Orbyt.Core.Errors.ErrorCatalog).GetField(use.Groups["name"].Value);
                    if (field?.GetValue(null) is not Orbyt.Core.Errors.ErrorDefinition error) continue;
                    Assert.True(documented.Contains(error.Code), $"{method.ToUpperInvariant()} {path} can answer {error.Code} but OperationProblems does not list it");
                }
                checkedEndpoints++;
            }
        }
        Assert.True(checkedEndpoints >= 25, $"only {checkedEndpoints} endpoints found under {root}");
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

    /// <summary>The API's /v1 routes, read from the FastEndpoints Configure() calls in Orbyt.Api.</summary>
    private static List<(string Method, string Path)> ApiRoutes()
    {
        var root = Path.Combine(RepositoryRoot.Find(), "Orbyt.Api");
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => RouteCall().Matches(File.ReadAllText(f)))
            .Select(m => (m.Groups["verb"].Value.ToLowerInvariant(), m.Groups["path"].Value))
            .Distinct()
            .ToList();
    }

    [GeneratedRegex("""\b(?<verb>Get|Post|Put|Patch|Delete)\("(?<path>/v1/[^"]*)"\)""")]
    private static partial Regex RouteCall();

    [GeneratedRegex(@"\n(?=public (?:sealed |static )?(?:partial )?(?:class|record) )")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"ErrorCatalog\.(?<name>\w+)")]
    private static partial Regex CatalogUse();
}
