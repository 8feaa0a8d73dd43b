using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaInstagramAccount(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("profile_picture_url")] string? ProfilePictureUrl);
