using System.Text.Json.Nodes;

namespace Orbyt.Sandbox.State;

internal static class SettingsJsonExtensions
{
    public static T? Deserialize<T>(this JsonNode node, System.Text.Json.JsonSerializerOptions options) =>
        System.Text.Json.JsonSerializer.Deserialize<T>(node, options);
}
