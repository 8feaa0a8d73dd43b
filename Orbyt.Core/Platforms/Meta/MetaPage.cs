using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaPage(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("tasks")] string[]? Tasks,
    [property: JsonPropertyName("instagram_business_account")] MetaInstagramAccount? InstagramBusinessAccount);
