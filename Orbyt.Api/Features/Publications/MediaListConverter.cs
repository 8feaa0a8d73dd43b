using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// <c>media</c> is one object (the original form, still accepted unchanged) or a list of them (a carousel, a
/// multi-photo post). Written back as a list. A nested error names its field under <c>media</c>, as it would without
/// the converter (<c>media.url</c>, <c>media[1].type</c>).
/// </summary>
public sealed class MediaListConverter : JsonConverter<List<PublicationMedia>>
{
    private const string Property = "media";

    public override List<PublicationMedia>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return reader.TokenType switch
            {
                JsonTokenType.StartObject => [JsonSerializer.Deserialize<PublicationMedia>(ref reader, options)!],
                JsonTokenType.StartArray => JsonSerializer.Deserialize<List<PublicationMedia>>(ref reader, options),
                JsonTokenType.Null => null,
                _ => throw new JsonException("media must be an object or a list of objects.", "$", null, null),
            };
        }
        catch (JsonException ex) when (ex.Path is { } inner)
        {
            // The nested call's path starts again at $ ($.url, $[1].type); put it back under the property.
            var path = "$." + Property + inner[1..];
            throw new JsonException(ex.Message, path, ex.LineNumber, ex.BytePositionInLine, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, List<PublicationMedia> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
