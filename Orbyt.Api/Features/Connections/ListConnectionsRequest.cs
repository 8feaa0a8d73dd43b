using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Connections;

public sealed class ListConnectionsRequest
{
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
    [QueryParam, BindFrom("platform")] public string? Platform { get; set; }
    [QueryParam, BindFrom("status")] public string? Status { get; set; }
}

public sealed class ListConnectionsValidator : Validator<ListConnectionsRequest>
{
    public ListConnectionsValidator() => RuleFor(x => x.UserId).NotEmpty().MaximumLength(200).OverridePropertyName("user_id");
}
