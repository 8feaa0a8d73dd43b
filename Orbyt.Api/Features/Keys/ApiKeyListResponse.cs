namespace Orbyt.Api.Features.Keys;

public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyResponse> Data);
