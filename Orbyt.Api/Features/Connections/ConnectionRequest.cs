using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Connections;

public sealed class ConnectionRequest
{
    public Guid Id { get; set; }
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
}

public sealed class ConnectionRequestValidator : Validator<ConnectionRequest>
{
    public ConnectionRequestValidator() => RuleFor(x => x.UserId).NotEmpty().MaximumLength(200).OverridePropertyName("user_id");
}
