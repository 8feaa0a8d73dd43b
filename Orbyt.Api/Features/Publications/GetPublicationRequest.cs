using FastEndpoints;

namespace Orbyt.Api.Features.Publications;

public sealed class GetPublicationRequest
{
    public Guid Id { get; set; }
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
}
