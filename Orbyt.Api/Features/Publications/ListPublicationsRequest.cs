using FastEndpoints;
using FluentValidation;
using Orbyt.Api.OpenApi;

namespace Orbyt.Api.Features.Publications;

public sealed class ListPublicationsRequest
{
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
    [QueryParam, BindFrom("client_reference")] public string? ClientReference { get; set; }
    [QueryParam, BindFrom("limit")] public int? Limit { get; set; }
}

public sealed class ListPublicationsValidator : Validator<ListPublicationsRequest>
{
    public ListPublicationsValidator()
    {
        RuleFor(x => x.UserId).Must(userId => !string.IsNullOrEmpty(userId)).WithMessage("user_id is required.").OverridePropertyName("user_id");
        RuleFor(x => x.Limit).Must(SchemaDocs.PageLimit).WithMessage($"limit must be between 1 and {SchemaDocs.MaxPageSize}.").OverridePropertyName("limit");
    }
}
