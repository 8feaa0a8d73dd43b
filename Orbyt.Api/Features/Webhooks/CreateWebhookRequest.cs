using FastEndpoints;
using FluentValidation;

namespace Orbyt.Api.Features.Webhooks;

public sealed class CreateWebhookRequest
{
    /// <summary>https URL that receives POSTs (plain http only for hosts allowed in development).</summary>
    public string Url { get; set; } = "";
    /// <summary>Event types to deliver; empty or absent = all.</summary>
    public List<string>? Events { get; set; }
    public string? Description { get; set; }
}

public sealed class CreateWebhookValidator : Validator<CreateWebhookRequest>
{
    public CreateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(2048);
        RuleFor(x => x.Events).Must(e => e is null || e.Count <= WebhookRules.SubscribableEvents.Count * 2);
        RuleForEach(x => x.Events).Must(WebhookRules.SubscribableEvents.Contains!).WithMessage(WebhookRules.EventsMessage);
        RuleFor(x => x.Description).MaximumLength(500);
    }
}
