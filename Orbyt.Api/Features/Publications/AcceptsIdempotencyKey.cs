namespace Orbyt.Api.Features.Publications;

/// <summary>Marks an endpoint that honours the <c>Idempotency-Key</c> header, so the OpenAPI document lists it.</summary>
public sealed class AcceptsIdempotencyKey;
