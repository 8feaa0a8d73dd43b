using FastEndpoints;
using Orbyt.Api.Problems;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Errors;

public sealed class ListErrorsEndpoint : EndpointWithoutRequest<ErrorCatalogResponse>
{
    private static readonly ErrorCatalogResponse Catalog = new(ErrorCatalog.All.Select(ErrorEntry.From).ToArray());

    public override void Configure()
    {
        Get("/v1/errors");
        AllowAnonymous();
        Description(d => d.WithTags("Errors"));
        Summary(s =>
        {
            s.Summary = "List the error catalog";
            s.Description = "Every error code the API, job errors and webhooks can carry, with its HTTP status and flags. Public.";
        });
    }

    public override Task HandleAsync(CancellationToken ct) => Send.OkAsync(Catalog, ct);
}

public sealed class GetErrorEndpoint : Endpoint<GetErrorRequest, ErrorEntry>
{
    public override void Configure()
    {
        Get("/v1/errors/{code}");
        AllowAnonymous();
        Description(d => d.WithTags("Errors").Produces<ProblemDocument>(404, ProblemResults.ContentType));
        Summary(s => s.Summary = "Get one error code");
    }

    public override async Task HandleAsync(GetErrorRequest req, CancellationToken ct)
    {
        if (!ErrorCatalog.TryGet(req.Code, out var entry))
            throw new ApiProblemException(ErrorCatalog.NotFound, $"There is no error code '{req.Code}'.");
        await Send.OkAsync(ErrorEntry.From(entry), ct);
    }
}
