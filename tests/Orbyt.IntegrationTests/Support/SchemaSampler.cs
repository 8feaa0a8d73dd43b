using System.Text.Json.Nodes;

namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// Values drawn from the JSON Schemas of an OpenAPI 3.1 document (the subset the API's document uses: $ref, type lists,
/// oneOf with null, enum, const, formats, lengths, ranges, items, properties, required), and every place in a
/// generated value where a schema rule can be broken, so a fuzzer can make valid requests and precisely invalid ones.
/// </summary>
public sealed class SchemaSampler(JsonObject schemas, Random random, Func<string, JsonObject, JsonNode?> hint)
{
    /// <summary>A property that was generated: its object, its name, its resolved schema.</summary>
    public sealed record Site(JsonObject Parent, string Name, JsonObject Schema);

    /// <summary>An object generated from a schema (resolved), to add unknown properties to or drop required ones from.</summary>
    public sealed record ObjectSite(JsonObject Node, JsonObject Schema);

    public List<Site> Sites { get; } = [];
    public List<ObjectSite> Objects { get; } = [];

    public JsonObject Resolve(JsonObject schema)
    {
        for (var depth = 0; schema["$ref"] is JsonValue reference && depth < 20; depth++)
            schema = schemas[reference.GetValue<string>().Split('/')[^1]]!.AsObject();
        return schema;
    }

    /// <summary>Resolves refs and picks the non-null branch of a nullable: the schema a present value must meet.</summary>
    public JsonObject NonNull(JsonObject schema)
    {
        schema = Resolve(schema);
        if (schema["oneOf"] is JsonArray options && options.OfType<JsonObject>().FirstOrDefault(o => !IsNullType(o)) is { } branch)
            return NonNull(branch);
        return schema;
    }

    public static bool AllowsNull(JsonObject schema) =>
        schema["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() == "null")
        || schema["oneOf"] is JsonArray options && options.OfType<JsonObject>().Any(IsNullType);

    private static bool IsNullType(JsonObject o) => o["type"] is JsonValue t && t.GetValue<string>() == "null";

    public static string? MainType(JsonObject schema) => schema["type"] switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray a => a.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => schema["properties"] is not null ? "object" : null,
    };

    public JsonNode? Valid(JsonObject schema, string name)
    {
        if (Resolve(schema)["oneOf"] is JsonArray && AllowsNull(Resolve(schema)) && random.Next(10) == 0) return null;
        var resolved = NonNull(schema);
        if (resolved["const"] is { } constant) return constant.DeepClone();
        if (resolved["enum"] is JsonArray values)
        {
            var nonNull = values.Where(v => v is not null).ToArray();
            return nonNull.Length == 0 ? null : nonNull[random.Next(nonNull.Length)]!.DeepClone();
        }
        if (hint(name, resolved) is { } hinted) return hinted;
        switch (MainType(resolved))
        {
            case "object":
                return Object(resolved);
            case "array":
                var min = Int(resolved, "minItems") ?? 0;
                var max = Math.Min(Int(resolved, "maxItems") ?? min + 3, min + 3);
                var items = resolved["items"] as JsonObject ?? new JsonObject();
                var array = new JsonArray();
                for (var i = random.Next(min, max + 1); i > 0; i--) array.Add(Valid(items, name));
                return array;
            case "integer":
                return Number(resolved);
            case "number":
                return (double)Number(resolved);
            case "boolean":
                return random.Next(2) == 0;
            default:
                return Text(resolved);
        }
    }

    private JsonObject Object(JsonObject schema)
    {
        var node = new JsonObject();
        var required = Required(schema);
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (property, propertySchema) in properties)
            {
                if (!required.Contains(property) && random.Next(2) == 0) continue;
                var value = Valid(propertySchema!.AsObject(), property);
                node[property] = value;
                Sites.Add(new Site(node, property, NonNull(propertySchema!.AsObject())));
            }
        }
        Objects.Add(new ObjectSite(node, schema));
        return node;
    }

    public static HashSet<string> Required(JsonObject schema) =>
        schema["required"] is JsonArray list ? list.Select(r => r!.GetValue<string>()).ToHashSet() : [];

    private long Number(JsonObject schema)
    {
        var min = Long(schema, "minimum") ?? (Long(schema, "exclusiveMinimum") + 1) ?? 0;
        var max = Long(schema, "maximum") ?? (Long(schema, "exclusiveMaximum") - 1) ?? Math.Max(min, 0) + 1000;
        return min + (long)(random.NextDouble() * (max - min));
    }

    private string Text(JsonObject schema)
    {
        switch (schema["format"]?.GetValue<string>())
        {
            case "uuid": return Guid.NewGuid().ToString();
            case "date-time": return DateTimeOffset.UtcNow.AddMinutes(random.Next(-60, 60)).ToString("O");
            case "uri": return $"https://fuzz.example/{Word(4)}";
        }
        var min = Int(schema, "minLength") ?? 1;
        var max = Math.Min(Int(schema, "maxLength") ?? min + 12, min + 12);
        return Word(random.Next(min, max + 1));
    }

    /// <summary>Mostly letters, sometimes any printable character or a non-ASCII one.</summary>
    public string Word(int length)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz0123456789_-";
        const string odd = " éß漢'\"<>&%/\\?#+";
        return string.Concat(Enumerable.Range(0, length).Select(_ =>
            random.Next(12) == 0 ? odd[random.Next(odd.Length)].ToString() : letters[random.Next(letters.Length)].ToString()))
            .Normalize();
    }

    public static int? Int(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v ? (int)Math.Clamp(v.GetValue<double>(), int.MinValue / 2, int.MaxValue / 2) : null;
    private static long? Long(JsonObject schema, string keyword) => schema[keyword] is JsonValue v ? (long)v.GetValue<double>() : null;
}
