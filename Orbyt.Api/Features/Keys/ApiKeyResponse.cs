using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Keys;

public sealed record ApiKeyResponse(Guid Id, string Name, string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyResponse From(ApiKey k) => new(k.Id, k.Name, k.KeyId, k.CreatedAt, k.RevokedAt);
}
