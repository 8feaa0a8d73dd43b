namespace Orbyt.Api.Features.Publications;

public sealed record MediaResponse(string Type, string Url);
