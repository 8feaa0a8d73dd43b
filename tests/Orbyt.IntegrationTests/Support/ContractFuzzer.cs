using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// Fuzzes the API from the OpenAPI document it serves: for every operation, requests drawn from its parameter and body
/// schemas (valid ones, and ones breaking exactly one documented rule), and every answer checked against the same
/// document: no 5xx; every error an application/problem+json with a catalog code the operation lists, under the
/// catalog's status; every success the documented status with a body valid against its schema; a request breaking a
/// documented rule never accepted; a valid request never refused for a field the document does not require.
/// </summary>
public sealed class ContractFuzzer
{
    private readonly JsonObject _document;
    private readonly JsonObject _schemas;
    private readonly HttpClient _http;
    private readonly string _apiKey;
    private readonly Random _random;
    private readonly Func<string, string, JsonObject, JsonNode?> _hint;
    private readonly Dictionary<string, JsonSchema> _validators = [];
    private static readonly Dictionary<string, Orbyt.Core.Errors.ErrorDefinition> Catalog = Orbyt.Core.Errors.ErrorCatalog.All.ToDictionary(e => e.Code);

    public sealed record Operation(string Method, string Path, JsonObject Spec)
    {
        public string Name => $"{Method.ToUpperInvariant()} {Path}";
        public JsonObject[] Parameters => Spec["parameters"] is JsonArray list ? [.. list.OfType<JsonObject>()] : [];
        public JsonObject? BodySchema => Spec["requestBody"]?["content"]?["application/json"]?["schema"] as JsonObject;
        public bool Authenticated => Spec["security"] is JsonArray { Count: > 0 };
    }

    public sealed record Failure(string Kind, string Operation, string Request, int Status, string Detail);

    public sealed class Report
    {
        public int Operations { get; set; }
        public int Requests { get; set; }
        public int ValidRequests { get; set; }
        public int InvalidRequests { get; set; }
        public TimeSpan Elapsed { get; set; }
        public SortedDictionary<int, int> Statuses { get; } = [];
        public SortedDictionary<string, int> Mutations { get; } = [];
        public Dictionary<string, SortedDictionary<string, int>> StatusesByOperation { get; } = [];
        public List<Failure> Failures { get; } = [];

        public string Summary()
        {
            var text = new StringBuilder();
            text.AppendLine($"fuzz: {Operations} operations, {Requests} requests ({ValidRequests} valid, {InvalidRequests} invalid) in {Elapsed.TotalSeconds:F1} s");
            text.AppendLine("fuzz: statuses " + string.Join(", ", Statuses.Select(s => $"{s.Key}×{s.Value}")));
            text.AppendLine("fuzz: invalid kinds " + string.Join(", ", Mutations.Select(s => $"{s.Key}×{s.Value}")));
            var byKind = Failures.GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}").ToArray();
            text.AppendLine($"fuzz: failures {Failures.Count}" + (byKind.Length > 0 ? " (" + string.Join(", ", byKind) + ")" : ""));
            foreach (var (operation, statuses) in StatusesByOperation.OrderBy(o => o.Key))
                text.AppendLine($"fuzz:   {operation}: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
            foreach (var failure in Failures.GroupBy(f => (f.Kind, f.Operation)).Select(g => g.First()).Take(25))
                text.AppendLine($"fuzz: FAIL {failure.Kind} {failure.Operation} → {failure.Status}: {failure.Detail}\n      request: {failure.Request}");
            return text.ToString();
        }
    }

    /// <param name="hint">(operation path, field name, resolved schema) → a value to use (an id that exists, a URL the API accepts) or null.</param>
    public ContractFuzzer(JsonObject document, HttpClient http, string apiKey, int seed, Func<string, string, JsonObject, JsonNode?> hint)
    {
        _document = document;
        _schemas = document["components"]!["schemas"]!.AsObject();
        _http = http;
        _apiKey = apiKey;
        _random = new Random(seed);
        _hint = hint;
    }

    public IReadOnlyList<Operation> Operations() =>
        [.. _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(m => new Operation(m.Key, path.Key, m.Value!.AsObject())))];

    /// <summary>Round-robin over the operations, alternating valid and invalid requests, until the time is up or each has had <paramref name="perOperation"/>.</summary>
    public async Task<Report> RunAsync(TimeSpan budget, int perOperation)
    {
        var operations = Operations();
        var report = new Report { Operations = operations.Count };
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < perOperation && (round < 2 || clock.Elapsed < budget); round++)
        {
            foreach (var operation in operations)
            {
                var valid = round % 2 == 0;
                var (request, mutation) = Build(operation, valid);
                await SendAndCheckAsync(operation, request, mutation, report);
            }
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    // ---- building requests ----------------------------------------------------------------------------------------

    private sealed record Draft(string Path, List<KeyValuePair<string, string>> Query, Dictionary<string, string> Headers, string? Body, string? ContentType)
    {
        public string Url => Path + (Query.Count == 0 ? "" : "?" + string.Join('&', Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")));
        public override string ToString() => $"{Url} {(Headers.Count > 0 ? string.Join(' ', Headers.Select(h => $"[{h.Key}: {h.Value}]")) : "")} {ContentType} {Body}";
    }

    private (Draft Request, string? Mutation) Build(Operation operation, bool valid)
    {
        var sampler = new SchemaSampler(_schemas, _random, (name, schema) => _hint(operation.Path, name, schema));
        var values = new Dictionary<JsonObject, string?>();
        foreach (var parameter in operation.Parameters)
        {
            var required = parameter["required"]?.GetValue<bool>() == true;
            if (!required && _random.Next(2) == 0) continue;
            values[parameter] = Scalar(sampler.Valid(parameter["schema"]!.AsObject(), parameter["name"]!.GetValue<string>()));
        }
        JsonNode? body = operation.BodySchema is { } bodySchema ? sampler.Valid(bodySchema, "body") : null;
        var contentType = body is null ? null : "application/json";
        string? mutation = null;
        string? rawBody = null;
        if (!valid)
        {
            mutation = Mutate(operation, sampler, values, ref body, ref contentType, ref rawBody);
        }

        var path = operation.Path;
        var query = new List<KeyValuePair<string, string>>();
        var headers = new Dictionary<string, string>();
        foreach (var (parameter, value) in values)
        {
            if (value is null) continue;
            var name = parameter["name"]!.GetValue<string>();
            switch (parameter["in"]!.GetValue<string>())
            {
                case "path": path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal); break;
                case "query": query.Add(new(name, value)); break;
                case "header": headers[name] = value; break;
            }
        }
        return (new Draft(path, query, headers, rawBody ?? body?.ToJsonString(), contentType), mutation);
    }

    private static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    /// <summary>Breaks exactly one documented rule; returns its kind, or null when the operation has nothing to break (the request is then valid).</summary>
    private string? Mutate(Operation operation, SchemaSampler sampler, Dictionary<JsonObject, string?> values, ref JsonNode? body, ref string? contentType, ref string? rawBody)
    {
        var candidates = new List<(string Kind, Action Apply)>();
        var localBody = body;
        string? newRaw = null, newType = contentType;

        foreach (var parameter in operation.Parameters)
        {
            var name = parameter["name"]!.GetValue<string>();
            var schema = sampler.NonNull(parameter["schema"]!.AsObject());
            var location = parameter["in"]!.GetValue<string>();
            if (location == "header") continue;
            if (parameter["required"]?.GetValue<bool>() == true && location == "query")
                candidates.Add(("param_missing_required", () => values[parameter] = null));
            if (schema["enum"] is JsonArray)
                candidates.Add(("param_enum_violation", () => values[parameter] = "fuzz-" + sampler.Word(4)));
            if (SchemaSampler.MainType(schema) == "integer")
            {
                candidates.Add(("param_wrong_type", () => values[parameter] = "x" + sampler.Word(3)));
                if (SchemaSampler.Int(schema, "maximum") is { } max) candidates.Add(("param_out_of_range", () => values[parameter] = (max + 1 + _random.Next(100000)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                if (SchemaSampler.Int(schema, "minimum") is { } min) candidates.Add(("param_out_of_range", () => values[parameter] = (min - 1 - _random.Next(100)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            if (schema["format"]?.GetValue<string>() == "uuid")
                candidates.Add(("param_wrong_format", () => values[parameter] = sampler.Word(8)));
            if (SchemaSampler.MainType(schema) == "string" && location == "query")
                candidates.Add(("param_nul", () => values[parameter] = "a\0" + sampler.Word(3)));
        }

        if (localBody is not null)
        {
            candidates.Add(("malformed_json", () => newRaw = "{\"" + sampler.Word(3) + "\":"));
            candidates.Add(("wrong_content_type", () => newType = _random.Next(2) == 0 ? "text/plain" : "application/json-patch+json"));
            candidates.Add(("no_content_type", () => newType = null));
            foreach (var site in sampler.Objects.Where(o => o.Schema["additionalProperties"] is JsonValue closed && !closed.GetValue<bool>()))
                candidates.Add(("unknown_property", () => site.Node["fuzz_" + sampler.Word(5)] = 1));
            foreach (var site in sampler.Objects)
                foreach (var required in SchemaSampler.Required(site.Schema).Where(site.Node.ContainsKey))
                    candidates.Add(("missing_required", () => site.Node.Remove(required)));
            foreach (var site in sampler.Sites.Where(s => s.Parent.ContainsKey(s.Name)))
            {
                var type = SchemaSampler.MainType(site.Schema);
                candidates.Add(("wrong_type", () => site.Parent[site.Name] = type switch
                {
                    "string" => 12345,
                    "integer" or "number" => "12",
                    "boolean" => "yes",
                    "array" => new JsonObject(),
                    _ => new JsonArray(1),
                }));
                if (site.Schema["enum"] is JsonArray)
                    candidates.Add(("enum_violation", () => site.Parent[site.Name] = "fuzz-" + sampler.Word(4)));
                if (type == "string")
                    candidates.Add(("nul", () => site.Parent[site.Name] = "a\0" + sampler.Word(3)));
                if (type == "string" && SchemaSampler.Int(site.Schema, "maxLength") is { } maxLength)
                    candidates.Add(("too_long", () => site.Parent[site.Name] = new string('x', maxLength + 1)));
                if (type == "integer" && SchemaSampler.Int(site.Schema, "maximum") is { } maximum)
                    candidates.Add(("out_of_range", () => site.Parent[site.Name] = maximum + 1L));
                if (type == "integer" && SchemaSampler.Int(site.Schema, "minimum") is { } minimum)
                    candidates.Add(("out_of_range", () => site.Parent[site.Name] = minimum - 1L));
                if (type == "array" && SchemaSampler.Int(site.Schema, "maxItems") is { } maxItems && site.Schema["items"] is JsonObject items)
                    candidates.Add(("too_many_items", () => site.Parent[site.Name] = new JsonArray([.. Enumerable.Range(0, maxItems + 1).Select(_ => sampler.Valid(items, site.Name))])));
            }
        }
        if (candidates.Count == 0) return null;
        var (kind, apply) = candidates[_random.Next(candidates.Count)];
        apply();
        body = localBody;
        rawBody = newRaw;
        contentType = newType;
        return kind;
    }

    // ---- sending and checking -------------------------------------------------------------------------------------

    private async Task SendAndCheckAsync(Operation operation, Draft draft, string? mutation, Report report)
    {
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method.ToUpperInvariant()), draft.Url);
        if (operation.Authenticated) request.Headers.Add("X-Api-Key", _apiKey);
        foreach (var (name, value) in draft.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (draft.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(draft.Body));
            if (draft.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(draft.ContentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        report.Requests++;
        if (mutation is null) report.ValidRequests++;
        else
        {
            report.InvalidRequests++;
            report.Mutations[mutation] = report.Mutations.GetValueOrDefault(mutation) + 1;
        }
        report.Statuses[status] = report.Statuses.GetValueOrDefault(status) + 1;
        var byOperation = report.StatusesByOperation.TryGetValue(operation.Name, out var seen) ? seen : report.StatusesByOperation[operation.Name] = [];
        byOperation[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = byOperation.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) + 1;

        void Fail(string kind, string detail) =>
            report.Failures.Add(new Failure(kind, operation.Name, (mutation is null ? "" : $"({mutation}) ") + Shorten(draft.ToString()), status, Shorten(detail)));

        if (status >= 500) Fail("server_error", text);
        var responses = operation.Spec["responses"]!.AsObject();
        var documented = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] as JsonObject ?? responses["default"] as JsonObject;
        if (documented is null) Fail("undocumented_status", text);

        if (status >= 400)
        {
            CheckProblem(response, text, documented, Fail);
            if (mutation is null && status == 400) CheckValidRequestRefusal(operation, draft, text, Fail);
        }
        else
        {
            if (mutation is not null && status is >= 200 and < 300) Fail("invalid_accepted", text);
            if (documented?["content"]?["application/json"]?["schema"] is JsonObject schema)
            {
                if (!response.Content.Headers.ContentType?.MediaType?.Equals("application/json", StringComparison.OrdinalIgnoreCase) ?? true)
                    Fail("wrong_content_type", $"{response.Content.Headers.ContentType}: {text}");
                else if (Validate(schema, text) is { } errors)
                    Fail("response_schema", errors + " in " + text);
            }
        }
    }

    private void CheckProblem(HttpResponseMessage response, string text, JsonObject? documented, Action<string, string> fail)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            fail("not_problem_json", $"{response.Content.Headers.ContentType}: {text}");
            return;
        }
        if (Validate(new JsonObject { ["$ref"] = "#/components/schemas/ProblemDocument" }, text) is { } errors)
        {
            fail("problem_schema", errors + " in " + text);
            return;
        }
        var code = JsonNode.Parse(text)!["code"]!.GetValue<string>();
        if (!Catalog.TryGetValue(code, out var entry)) fail("unknown_code", code);
        else if (entry.Status != (int)response.StatusCode) fail("code_status_mismatch", $"{code} is {entry.Status} in the catalog");
        else if (documented?["x-problem-codes"] is JsonArray codes && !codes.Any(c => c!.GetValue<string>() == code))
            fail("undocumented_code", code);
    }

    /// <summary>A request valid against the document may be refused for its meaning, never for a field the document lets it leave out, nor as unreadable.</summary>
    private static void CheckValidRequestRefusal(Operation operation, Draft draft, string text, Action<string, string> fail)
    {
        var problem = JsonNode.Parse(text)!;
        var code = problem["code"]?.GetValue<string>();
        if (code == "malformed_request") fail("valid_refused_as_malformed", text);
        if (code != "validation_failed" || problem["errors"] is not JsonObject errors) return;
        var sent = new HashSet<string>(draft.Query.Select(q => q.Key));
        if (draft.Body is not null && JsonNode.Parse(draft.Body) is JsonObject body) sent.UnionWith(body.Select(p => p.Key));
        foreach (var (field, messages) in errors)
        {
            var root = field.Split('.', '[')[0];
            var saysRequired = messages!.AsArray().Any(m => m!.GetValue<string>().Contains("required", StringComparison.OrdinalIgnoreCase)
                                                            || m.GetValue<string>().Contains("must not be empty", StringComparison.OrdinalIgnoreCase));
            if (saysRequired && !sent.Contains(root) && !field.Contains('.', StringComparison.Ordinal))
                fail("required_not_documented", $"{operation.Name} refused a valid request for leaving out {field}: {text}");
        }
    }

    /// <summary>Null when <paramref name="json"/> is valid against <paramref name="schema"/> (refs into the document's components); otherwise the first errors.</summary>
    private string? Validate(JsonObject schema, string json)
    {
        var key = schema.ToJsonString();
        if (!_validators.TryGetValue(key, out var validator))
        {
            var root = RewriteRefs(schema.DeepClone())!.AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = RewriteRefs(_schemas.DeepClone());
            validator = _validators[key] = JsonSchema.FromText(root.ToJsonString());
        }
        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            return "not JSON: " + e.Message;
        }
        var result = validator.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return null;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct().Take(4);
        return string.Join("; ", errors);
    }

    private static JsonNode? RewriteRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.GetValue<string>().StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    o["$ref"] = "#/$defs/" + r.GetValue<string>()["#/components/schemas/".Length..];
                foreach (var (_, child) in o.ToArray()) RewriteRefs(child);
                break;
            case JsonArray a:
                foreach (var child in a) RewriteRefs(child);
                break;
        }
        return node;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
