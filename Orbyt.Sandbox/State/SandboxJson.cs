using System.Text.Json.Serialization;

namespace Orbyt.Sandbox.State;

public static class SandboxJson
{
    /// <summary>The control API's and Meta's casing.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Snake = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Google's casing.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Camel = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Names exactly as written (anonymous objects and dictionaries shaped like the platform's JSON).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Verbatim = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
