using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// <c>media</c> is one object (the original form, still accepted unchanged) or a list of them (a carousel, a
/// multi-photo post). Written back as a list.
/// </summary>
public sealed class MediaListConverter : JsonConverter<List<PublicationMedia>>
{
    public override List<PublicationMedia>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.StartObject => [JsonSerializer.Deserialize<PublicationMedia>(ref reader, options)!],
            JsonTokenType.StartArray => JsonSerializer.Deserialize<List<PublicationMedia>>(ref reader, options),
            JsonTokenType.Null => null,
            _ => throw new JsonException("media must be an object or a list of objects."),
        };

    public override void Write(Utf8JsonWriter writer, List<PublicationMedia> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
