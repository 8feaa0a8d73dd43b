using System.Text.Json.Serialization;

namespace Orbyt.Core.Platforms.Meta;

public sealed record MetaDebugToken(
    [property: JsonPropertyName("app_id")] string? AppId,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("is_valid")] bool IsValid,
    [property: JsonPropertyName("expires_at")] long? ExpiresAt,
    [property: JsonPropertyName("data_access_expires_at")] long? DataAccessExpiresAt,
    [property: JsonPropertyName("issued_at")] long? IssuedAt,
    [property: JsonPropertyName("scopes")] string[]? Scopes,
    [property: JsonPropertyName("granular_scopes")] MetaGranularScope[]? GranularScopes,
    [property: JsonPropertyName("user_id")] string? UserId,
    [property: JsonPropertyName("error")] MetaDebugTokenError? Error);
