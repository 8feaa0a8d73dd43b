using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// Documents the optional <c>Idempotency-Key</c> request header on endpoints carrying <see cref="AcceptsIdempotencyKey"/>.
/// The header is read from the request directly (it must not be part of the hashed body), so NSwag cannot infer it.
/// </summary>
public sealed class IdempotencyKeyHeaderProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context is AspNetCoreOperationProcessorContext aspNet
            && aspNet.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AcceptsIdempotencyKey>().Any())
        {
            context.OperationDescription.Operation.Parameters.Add(new OpenApiParameter
            {
                Name = CreatePublicationEndpoint.IdempotencyHeader,
                Kind = OpenApiParameterKind.Header,
                IsRequired = false,
                Schema = new NJsonSchema.JsonSchema { Type = NJsonSchema.JsonObjectType.String, MinLength = 1, MaxLength = 255 },
                Description = "Makes retries safe: the same key with the same body replays the first response (with Idempotent-Replayed: true) for 24 h; " +
                              "the same key with a different body is 422 idempotency_key_reused; while the first request runs, 409 idempotency_key_in_use.",
                Example = "3f0c2a8e-5d1b-4a7e-9c64-2b8f1e0d7a91",
            });
        }
        return true;
    }
}
