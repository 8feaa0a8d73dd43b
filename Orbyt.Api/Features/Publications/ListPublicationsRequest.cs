using FastEndpoints;

namespace Orbyt.Api.Features.Publications;

public sealed class ListPublicationsRequest
{
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
    [QueryParam, BindFrom("client_reference")] public string? ClientReference { get; set; }
    [QueryParam, BindFrom("limit")] public int? Limit { get; set; }
}
