using FastEndpoints;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;

namespace Orbyt.Api.Features.Publications;

/// <summary>
/// POST /v1/publications/validate: the dry run. The same body as create, held against the same
/// <see cref="PublicationRules"/>, but every rule runs (not only up to the first violation), the connections' status is
/// read, and nothing is written or queued. A body create would refuse before its rules (validation_failed,
/// malformed_request) is refused here the same way.
/// </summary>
public sealed class ValidatePublicationEndpoint(PublicationRules rules) : Endpoint<CreatePublicationRequest, ValidationResponse>
{
    public override void Configure()
    {
        Post("/v1/publications/validate");
        Description(d => d.WithTags("Publications")
            .Produces<ProblemDocument>(400, ProblemResults.ContentType));
        Summary(s =>
        {
            s.Summary = "Dry run: would this publication be accepted?";
            s.Description = "The same body as POST /v1/publications; nothing is written or queued and no Idempotency-Key is used. Answers 200 with ok, "
                + "the request-wide errors (callback_url, media URL), per target ok / errors (the catalog codes create would answer, from the same rules) / warnings "
                + "(caption_near_limit, title_near_limit, media_url_expires_soon, media_will_be_cropped, media_not_ready, media_not_probed), and what the media probe "
                + "found (type, size, dimensions, duration, codecs). A body that fails the request schema is answered 400 validation_failed, as create does.";
        });
    }

    public override async Task HandleAsync(CreatePublicationRequest req, CancellationToken ct)
    {
        var verdict = await rules.EvaluateAsync(User.ClientId(), req, everything: true, ct);
        await Send.OkAsync(ValidationResponse.From(verdict), ct);
    }
}
