using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Keys;

public sealed class CreateApiKeyRequest
{
    public string Name { get; set; } = "";
}

public sealed class CreateApiKeyValidator : Validator<CreateApiKeyRequest>
{
    public CreateApiKeyValidator() => RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
}
