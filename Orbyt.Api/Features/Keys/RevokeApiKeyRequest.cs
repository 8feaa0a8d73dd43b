namespace Orbyt.Api.Features.Keys;

public sealed class RevokeApiKeyRequest
{
    public Guid Id { get; set; }
}
