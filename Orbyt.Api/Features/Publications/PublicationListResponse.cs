namespace Orbyt.Api.Features.Publications;

public sealed record PublicationListResponse(IReadOnlyList<PublicationResponse> Data);
