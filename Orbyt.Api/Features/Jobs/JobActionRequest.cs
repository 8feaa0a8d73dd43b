using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Jobs;

public sealed class JobActionRequest
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
}

public sealed class JobActionValidator : Validator<JobActionRequest>
{
    public JobActionValidator() => RuleFor(x => x.UserId).NotEmpty().MaximumLength(200);
}
