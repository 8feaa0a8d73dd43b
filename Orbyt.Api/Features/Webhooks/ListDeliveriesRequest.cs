using FastEndpoints;
using FluentValidation;
using Orbyt.Api.OpenApi;

namespace Orbyt.Api.Features.Webhooks;

public sealed class ListDeliveriesRequest
{
    public Guid Id { get; set; }
    /// <summary>Page size, 1–100 (default 20).</summary>
    public int? Limit { get; set; }
    /// <summary>Cursor: the <c>next_before</c> of the previous page (a delivery id); pages go from newest to oldest.</summary>
    public Guid? Before { get; set; }
}

public sealed class ListDeliveriesValidator : Validator<ListDeliveriesRequest>
{
    public ListDeliveriesValidator() =>
        RuleFor(x => x.Limit).Must(SchemaDocs.PageLimit).WithMessage($"limit must be between 1 and {SchemaDocs.MaxPageSize}.").OverridePropertyName("limit");
}
