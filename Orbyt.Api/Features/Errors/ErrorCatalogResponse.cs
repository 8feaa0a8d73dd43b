namespace Orbyt.Api.Features.Errors;

public sealed record ErrorCatalogResponse(IReadOnlyList<ErrorEntry> Data);
