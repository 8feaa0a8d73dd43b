using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Clients;

public sealed record CreatedApiKeyResponse(Guid Id, string Name, string KeyId, string Key, DateTimeOffset CreatedAt)
{
    public static CreatedApiKeyResponse From(ApiKey k, string plaintext) => new(k.Id, k.Name, k.KeyId, plaintext, k.CreatedAt);
}
