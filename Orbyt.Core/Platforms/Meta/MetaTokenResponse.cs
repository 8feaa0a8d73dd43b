using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn);
