namespace Orbyt.Api.Features.Clients;

public sealed record CreatedClientResponse(ClientResponse Client, CreatedApiKeyResponse ApiKey);
