using FastEndpoints;
using FluentValidation;
using Microsoft.Extensions.Options;
using Orbyt.Api.Features.Publications;
using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Jobs;

public sealed class RescheduleJobRequest
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    /// <summary>The new time the post goes live: RFC 3339 with a UTC offset, in the future, at most a year ahead.</summary>
    public string PublishAt { get; set; } = "";
}

public sealed class RescheduleJobValidator : Validator<RescheduleJobRequest>
{
    public RescheduleJobValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().MaximumLength(200).OverridePropertyName("user_id");
        RuleFor(x => x.PublishAt).Must(p => PublishTime.IsSchedulable(p, Resolve<TimeProvider>().GetUtcNow(), Resolve<IOptions<ScheduleOptions>>().Value.MaxAhead))
            .OverridePropertyName("publish_at").WithMessage(PublishTime.Rule);
    }
}
