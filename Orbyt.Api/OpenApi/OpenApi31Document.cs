using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orbyt.Api.Problems;
using Orbyt.Core.Errors;

namespace Orbyt.Api.OpenApi;

/// <summary>
/// Turns NSwag's OpenAPI 3.0 document into the 3.1 document the API serves: JSON Schema 2020-12 nullability
/// (<c>type: [x, "null"]</c>, <c>oneOf</c> with <c>{type: null}</c>), <c>examples</c>, the problem responses of every
/// operation with their catalog codes, closed value sets, required response fields and the <c>webhooks</c> section.
/// </summary>
public static class OpenApi31Document
{
    private const string SchemaRef = "#/components/schemas/";
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

    public static JsonObject Convert(string nswagJson)
    {
        var document = JsonNode.Parse(nswagJson)!.AsObject();
        document["openapi"] = "3.1.0";
        document["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base";
        var schemas = document["components"]!["schemas"]!.AsObject();

        foreach (var schema in schemas.Select(kv => kv.Value!.AsObject()).ToArray())
            ConvertSchema(schema);
        foreach (var (_, operation) in Operations(document["paths"]!.AsObject()))
            ConvertOperationSchemas(operation);

        RequireJsonRequiredProperties(schemas);
        AnnotateSchemas(schemas);
        AnnotateQueryParameters(document["paths"]!.AsObject());
        AddProblemResponses(document);
        AddWebhooks(document, schemas);
        RequireProducedFields(document, schemas);
        DropUnreferencedSchemas(document, schemas);
        return document;
    }

    // ---- 3.0 → 3.1 schema conversion ----

    private static void ConvertSchema(JsonObject schema)
    {
        if (schema["nullable"] is JsonValue nullable)
        {
            schema.Remove("nullable");
            if (nullable.GetValue<bool>()) MakeNullable(schema);
        }
        if (schema["example"] is { } example)
        {
            schema.Remove("example");
            schema["examples"] = new JsonArray(example.DeepClone());
        }
        foreach (var (bound, exclusive) in new[] { ("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum") })
        {
            if (schema[exclusive] is JsonValue flag && flag.TryGetValue<bool>(out var isExclusive))
            {
                schema.Remove(exclusive);
                if (isExclusive && schema[bound] is { } value)
                {
                    schema[exclusive] = value.DeepClone();
                    schema.Remove(bound);
                }
            }
        }
        // NSwag writes FluentValidation's NotEmpty()/Length() on a list as string length.
        if (IsType(schema, "array"))
        {
            Rename(schema, "minLength", "minItems");
            Rename(schema, "maxLength", "maxItems");
            if (schema["minItems"] is JsonValue min && min.GetValue<int>() == 0) schema.Remove("minItems");
        }
        if (schema["format"] is JsonValue format && format.GetValue<string>() == "guid")
            schema["format"] = "uuid";
        if (IsType(schema, "string") && schema["minLength"] is JsonValue minLength && minLength.GetValue<int>() == 0)
            schema.Remove("minLength");

        foreach (var child in ChildSchemas(schema))
            ConvertSchema(child);
    }

    private static void MakeNullable(JsonObject schema)
    {
        if (schema["type"] is JsonValue type)
        {
            schema["type"] = new JsonArray(type.GetValue<string>(), "null");
            return;
        }
        // `nullable` beside a oneOf/allOf of one $ref: NSwag's way to say "this object or null".
        foreach (var composition in new[] { "oneOf", "allOf", "anyOf" })
        {
            if (schema[composition] is JsonArray { Count: 1 } single)
            {
                schema.Remove(composition);
                schema["oneOf"] = new JsonArray(single[0]!.DeepClone(), new JsonObject { ["type"] = "null" });
                return;
            }
        }
        if (schema["$ref"] is JsonValue reference)
        {
            schema.Remove("$ref");
            schema["oneOf"] = new JsonArray(new JsonObject { ["$ref"] = reference.GetValue<string>() }, new JsonObject { ["type"] = "null" });
        }
    }

    private static IEnumerable<JsonObject> ChildSchemas(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
            foreach (var (_, property) in properties)
                if (property is JsonObject p) yield return p;
        foreach (var single in new[] { "items", "additionalProperties", "not" })
            if (schema[single] is JsonObject child) yield return child;
        foreach (var many in new[] { "oneOf", "allOf", "anyOf" })
            if (schema[many] is JsonArray list)
                foreach (var item in list)
                    if (item is JsonObject child) yield return child;
    }

    private static void ConvertOperationSchemas(JsonObject operation)
    {
        if (operation["parameters"] is JsonArray parameters)
        {
            foreach (var parameter in parameters.OfType<JsonObject>())
            {
                if (parameter["schema"] is not JsonObject schema) continue;
                // A parameter that may be left out is optional already; null means nothing for a query string.
                schema.Remove("nullable");
                ConvertSchema(schema);
            }
        }
        foreach (var content in Contents(operation))
            if (content["schema"] is JsonObject schema) ConvertSchema(schema);
    }

    // ---- required request properties ----

    /// <summary>
    /// A request property marked <c>[JsonRequired]</c> is refused when absent (System.Text.Json enforces it, answered as
    /// validation_failed naming it), so the document lists it as required. Validators' NotEmpty rules on top-level
    /// properties are listed by FastEndpoints already; [JsonRequired] is how nested request types say it.
    /// </summary>
    private static void RequireJsonRequiredProperties(JsonObject schemas)
    {
        foreach (var type in typeof(OpenApi31Document).Assembly.GetTypes())
        {
            if (schemas[type.Name] is not JsonObject schema || schema["properties"] is not JsonObject properties) continue;
            var names = type.GetProperties()
                .Where(p => p.IsDefined(typeof(System.Text.Json.Serialization.JsonRequiredAttribute), inherit: true))
                .Select(p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
                .Where(properties.ContainsKey)
                .ToArray();
            if (names.Length == 0) continue;
            var required = schema["required"] as JsonArray ?? [];
            foreach (var name in names.Where(n => !required.Any(r => r!.GetValue<string>() == n)))
                required.Add(name);
            schema["required"] = required;
        }
    }

    // ---- descriptions, value sets, examples ----

    private static void AnnotateSchemas(JsonObject schemas)
    {
        foreach (var (schemaName, property, values) in SchemaDocs.Enums)
        {
            if (schemas[schemaName]?["properties"]?[property] is not JsonObject target) continue;
            var nullable = target["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() == "null");
            var allowed = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            if (nullable) allowed.Add(null);
            target["enum"] = allowed;
        }
        foreach (var (schemaName, property, keywords) in SchemaDocs.Constraints)
        {
            if (schemas[schemaName]?["properties"]?[property] is not JsonObject target) continue;
            foreach (var (keyword, value) in keywords())
                target[keyword] = value?.DeepClone();
        }
        foreach (var (schemaName, example) in SchemaDocs.Examples)
            if (schemas[schemaName] is JsonObject schema)
                schema["examples"] = new JsonArray(example());
        SingleOrList(schemas);
    }

    /// <summary>
    /// A property whose C# type is a list but whose converter also reads one object (<c>media</c>): one item, or a
    /// list of items within the list's bounds.
    /// </summary>
    private static void SingleOrList(JsonObject schemas)
    {
        foreach (var (schemaName, property) in SchemaDocs.SingleOrList)
        {
            if (schemas[schemaName]?["properties"] is not JsonObject properties || properties[property] is not JsonObject list || list["items"] is not JsonObject item)
                continue;
            var single = item.DeepClone().AsObject();
            var many = list.DeepClone().AsObject();
            many.Remove("description");
            many["minItems"] = 1;
            many["maxItems"] = Features.Publications.CreatePublicationValidator.MaxMediaItems;
            var replaced = new JsonObject();
            if (list["description"] is { } description) replaced["description"] = description.DeepClone();
            replaced["oneOf"] = new JsonArray(single, many);
            properties[property] = replaced;
        }
    }

    private static void AnnotateQueryParameters(JsonObject paths)
    {
        JsonObject? Parameter(string path, string name) =>
            (paths[path]?["get"]?["parameters"] as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(p => p["in"]?.GetValue<string>() == "query" && p["name"]?.GetValue<string>() == name)?["schema"] as JsonObject;
        foreach (var (path, name, values) in SchemaDocs.QueryEnums)
            if (Parameter(path, name) is { } schema)
                schema["enum"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        foreach (var (path, name, minimum, maximum) in SchemaDocs.QueryRanges)
        {
            if (Parameter(path, name) is not { } schema) continue;
            schema["minimum"] = minimum;
            schema["maximum"] = maximum;
            schema["default"] = 20;
        }
    }

    // ---- problem responses ----

    private static void AddProblemResponses(JsonObject document)
    {
        var components = document["components"]!.AsObject();
        var headers = components["headers"] as JsonObject ?? new JsonObject();
        components["headers"] = headers;
        headers["RateLimit-Limit"] = Header("Requests this API client may make per window (one minute).", "integer");
        headers["RateLimit-Remaining"] = Header("Requests left in the current window.", "integer");
        headers["RateLimit-Reset"] = Header("Seconds until the window resets.", "integer");
        headers["Retry-After"] = Header("Seconds to wait before trying again.", "integer");

        foreach (var (key, operation) in Operations(document["paths"]!.AsObject()))
        {
            var authenticated = operation["security"] is JsonArray { Count: > 0 };
            var codes = OperationProblems.For(key.Method, key.Path, authenticated);
            if (codes is null) continue;
            var responses = operation["responses"]!.AsObject();
            foreach (var status in responses.Select(r => r.Key).Where(s => s.StartsWith('4') || s.StartsWith('5')).ToArray())
                responses.Remove(status);
            foreach (var group in codes.GroupBy(c => c.Status))
                responses[group.Key.ToString(CultureInfo.InvariantCulture)] = ProblemResponse(group.ToArray(), key.Path);
            if (authenticated)
            {
                foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('2')).Select(r => (r.Key, r.Value!.AsObject())))
                {
                    var responseHeaders = response["headers"] as JsonObject ?? new JsonObject();
                    response["headers"] = responseHeaders;
                    foreach (var name in new[] { "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset" })
                        responseHeaders[name] = new JsonObject { ["$ref"] = "#/components/headers/" + name };
                }
            }
            if (responses["429"] is JsonObject tooMany)
                tooMany["headers"] = new JsonObject { ["Retry-After"] = new JsonObject { ["$ref"] = "#/components/headers/Retry-After" } };
            operation["x-problem-codes"] = new JsonArray(codes.Select(c => (JsonNode?)JsonValue.Create(c.Code)).ToArray());
        }
    }

    private static JsonObject Header(string description, string type) =>
        new() { ["description"] = description, ["schema"] = new JsonObject { ["type"] = type } };

    private static JsonObject ProblemResponse(ErrorDefinition[] errors, string path)
    {
        var table = new StringBuilder("| code | retryable | reauth_required | meaning |\n|---|---|---|---|\n");
        foreach (var e in errors)
            table.Append(CultureInfo.InvariantCulture, $"| `{e.Code}` | {Flag(e.Retryable)} | {Flag(e.ReauthRequired)} | {e.Description.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        var examples = new JsonObject();
        foreach (var e in errors)
        {
            examples[e.Code] = new JsonObject
            {
                ["summary"] = e.Title,
                ["value"] = new JsonObject
                {
                    ["type"] = $"/v1/errors/{e.Code}", ["title"] = e.Title, ["status"] = e.Status, ["detail"] = e.Description,
                    ["instance"] = path, ["code"] = e.Code, ["retryable"] = e.Retryable, ["reauth_required"] = e.ReauthRequired,
                    ["trace_id"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                },
            };
        }
        return new JsonObject
        {
            ["description"] = $"{errors[0].Title}{(errors.Length > 1 ? " and related errors" : "")} (application/problem+json; `code` tells which):\n\n{table}",
            ["content"] = new JsonObject
            {
                [ProblemResults.ContentType] = new JsonObject
                {
                    ["schema"] = new JsonObject { ["$ref"] = SchemaRef + "ProblemDocument" },
                    ["examples"] = examples,
                },
            },
            ["x-problem-codes"] = new JsonArray(errors.Select(e => (JsonNode?)JsonValue.Create(e.Code)).ToArray()),
        };
    }

    private static string Flag(bool value) => value ? "yes" : "no";

    // ---- webhooks ----

    private static void AddWebhooks(JsonObject document, JsonObject schemas)
    {
        var parameters = document["components"]!["parameters"] as JsonObject ?? new JsonObject();
        document["components"]!["parameters"] = parameters;
        parameters["WebhookId"] = WebhookHeader("webhook-id",
            "The delivery id: unique per event and endpoint, the same on every retry and resend. Deduplicate on it.", "01936f8f-0b1c-7d2e-8f3a-4b5c6d7e8f90");
        parameters["WebhookTimestamp"] = WebhookHeader("webhook-timestamp",
            "Unix seconds of this attempt; reject deliveries older than a few minutes.", "1772366400");
        parameters["WebhookSignature"] = WebhookHeader("webhook-signature",
            "Space-separated `v1,{base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{raw body}\"}` signatures (Standard Webhooks), one per secret in force (two during a rotation).",
            "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");

        var webhooks = new JsonObject();
        var union = new JsonArray();
        var mapping = new JsonObject();
        foreach (var e in WebhookEventDocs.All)
        {
            var dataName = e.Data.Name;
            if (!schemas.ContainsKey(dataName))
                throw new InvalidOperationException($"The webhook payload schema {dataName} was not generated.");
            var eventName = string.Concat(e.Type.Split('.', '_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Event";
            var eventSchema = new JsonObject
            {
                ["type"] = "object",
                ["description"] = $"The `{e.Type}` event: {e.Summary.ToLowerInvariant()}.",
                ["additionalProperties"] = false,
                ["required"] = new JsonArray("type", "timestamp", "data"),
                ["properties"] = new JsonObject
                {
                    ["type"] = new JsonObject { ["type"] = "string", ["const"] = e.Type },
                    ["timestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the event happened." },
                    ["data"] = new JsonObject { ["$ref"] = SchemaRef + dataName },
                },
            };
            if (schemas[dataName]?["examples"] is JsonArray dataExamples)
                eventSchema["examples"] = new JsonArray(new JsonObject { ["type"] = e.Type, ["timestamp"] = "2026-03-01T12:00:00+00:00", ["data"] = dataExamples[0]!.DeepClone() });
            schemas[eventName] = eventSchema;
            union.Add(new JsonObject { ["$ref"] = SchemaRef + eventName });
            mapping[e.Type] = SchemaRef + eventName;

            webhooks[e.Type] = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["tags"] = new JsonArray("Webhooks"),
                    ["summary"] = e.Summary,
                    ["description"] = e.Description + " Signed with Standard Webhooks: verify the raw body with the endpoint's `whsec_` secret before parsing it (docs/webhooks.md).",
                    ["operationId"] = "webhook_" + e.Type.Replace('.', '_'),
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["$ref"] = "#/components/parameters/WebhookId" },
                        new JsonObject { ["$ref"] = "#/components/parameters/WebhookTimestamp" },
                        new JsonObject { ["$ref"] = "#/components/parameters/WebhookSignature" }),
                    ["requestBody"] = new JsonObject
                    {
                        ["required"] = true,
                        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = SchemaRef + eventName } } },
                    },
                    ["responses"] = new JsonObject
                    {
                        ["200"] = new JsonObject { ["description"] = "Any 2xx within 15 s acknowledges the delivery; do the work asynchronously." },
                        ["410"] = new JsonObject { ["description"] = "Gone: the endpoint is disabled and its pending deliveries fail." },
                        ["default"] = new JsonObject { ["description"] = "Anything else (or no answer) is retried with backoff for about three days; a Retry-After header is honoured." },
                    },
                },
            };
        }
        schemas["WebhookEvent"] = new JsonObject
        {
            ["description"] = "Any webhook event; `type` tells which.",
            ["oneOf"] = union,
            ["discriminator"] = new JsonObject { ["propertyName"] = "type", ["mapping"] = mapping },
        };
        document["webhooks"] = webhooks;
    }

    private static JsonObject WebhookHeader(string name, string description, string example) => new()
    {
        ["name"] = name, ["in"] = "header", ["required"] = true, ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string" }, ["example"] = example,
    };

    // ---- required fields of what the API produces ----

    /// <summary>
    /// Every field of a response or webhook object is always written (null when empty), so schemas reached only from
    /// responses and webhooks, and that do not say otherwise, list every property as required.
    /// </summary>
    private static void RequireProducedFields(JsonObject document, JsonObject schemas)
    {
        var consumed = new HashSet<string>();
        var produced = new HashSet<string>();
        foreach (var (_, operation) in Operations(document["paths"]!.AsObject()))
        {
            foreach (var parameter in (operation["parameters"] as JsonArray ?? []).OfType<JsonObject>())
                Collect(parameter, schemas, consumed);
            if (operation["requestBody"] is JsonObject body) Collect(body, schemas, consumed);
            if (operation["responses"] is JsonObject responses) Collect(responses, schemas, produced);
        }
        Collect(document["webhooks"]!, schemas, produced);
        foreach (var name in produced.Except(consumed))
        {
            var schema = schemas[name]!.AsObject();
            if (schema["required"] is null && schema["properties"] is JsonObject properties && properties.Count > 0)
                schema["required"] = new JsonArray(properties.Select(p => (JsonNode?)JsonValue.Create(p.Key)).ToArray());
        }
    }

    private static void DropUnreferencedSchemas(JsonObject document, JsonObject schemas)
    {
        var used = new HashSet<string>();
        Collect(document["paths"]!, schemas, used);
        Collect(document["webhooks"]!, schemas, used);
        used.Add("WebhookEvent");
        Collect(schemas["WebhookEvent"]!, schemas, used);
        foreach (var name in schemas.Select(s => s.Key).Where(n => !used.Contains(n)).ToArray())
            schemas.Remove(name);
    }

    /// <summary>Adds the schema names referenced below <paramref name="node"/>, transitively.</summary>
    private static void Collect(JsonNode node, JsonObject schemas, HashSet<string> names)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"] is JsonValue r && r.GetValue<string>() is { } reference && reference.StartsWith(SchemaRef, StringComparison.Ordinal))
                {
                    var name = reference[SchemaRef.Length..];
                    if (names.Add(name) && schemas[name] is { } target) Collect(target, schemas, names);
                }
                foreach (var (_, child) in o)
                    if (child is not null) Collect(child, schemas, names);
                break;
            case JsonArray a:
                foreach (var child in a)
                    if (child is not null) Collect(child, schemas, names);
                break;
        }
    }

    // ---- helpers ----

    private static IEnumerable<((string Method, string Path) Key, JsonObject Operation)> Operations(JsonObject paths)
    {
        foreach (var (path, item) in paths)
            foreach (var method in Methods)
                if (item?[method] is JsonObject operation)
                    yield return ((method, path), operation);
    }

    private static IEnumerable<JsonObject> Contents(JsonObject operation)
    {
        if (operation["requestBody"]?["content"] is JsonObject requestContent)
            foreach (var (_, media) in requestContent)
                if (media is JsonObject m) yield return m;
        if (operation["responses"] is JsonObject responses)
            foreach (var (_, response) in responses)
                if (response?["content"] is JsonObject content)
                    foreach (var (_, media) in content)
                        if (media is JsonObject m) yield return m;
    }

    private static bool IsType(JsonObject schema, string type) =>
        schema["type"] switch
        {
            JsonValue v => v.GetValue<string>() == type,
            JsonArray a => a.Any(t => t!.GetValue<string>() == type),
            _ => false,
        };

    private static void Rename(JsonObject schema, string from, string to)
    {
        if (schema[from] is not { } value) return;
        schema.Remove(from);
        schema[to] = value.DeepClone();
    }
}
