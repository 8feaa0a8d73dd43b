using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Webhooks;

public sealed class UpdateWebhookRequest
{
    public Guid Id { get; set; }
    public string? Url { get; set; }
    public List<string>? Events { get; set; }
    public string? Description { get; set; }
    /// <summary>false disables the endpoint (reason <c>manual</c>); true re-enables it and clears disabled_reason and failing_since.</summary>
    public bool? Enabled { get; set; }
}

public sealed class UpdateWebhookValidator : Validator<UpdateWebhookRequest>
{
    public UpdateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(2048).When(x => x.Url is not null);
        RuleForEach(x => x.Events).Must(WebhookRules.SubscribableEvents.Contains!).WithMessage(WebhookRules.EventsMessage);
        RuleFor(x => x.Description).MaximumLength(500);
    }
}
