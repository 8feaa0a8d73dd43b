using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using Orbyt.Core.Data;
using Orbyt.Core.Webhooks;

namespace Orbyt.Api.Features.Webhooks;

/// <summary>A webhook endpoint. <c>secret</c> appears only in the create and rotate-secret responses.</summary>
public sealed record WebhookEndpointResponse
{
    public required Guid Id { get; init; }
    public required string Url { get; init; }
    public string? Description { get; init; }
    /// <summary>Event types delivered; empty = every event type.</summary>
    public required IReadOnlyList<string> Events { get; init; }
    public required bool Enabled { get; init; }
    /// <summary>Why it is disabled: <c>gone</c> (the receiver answered 410), <c>failing</c> (every attempt failed for 5 days), <c>manual</c>.</summary>
    public string? DisabledReason { get; init; }
    /// <summary>Since when every attempt has failed; null while deliveries succeed.</summary>
    public DateTimeOffset? FailingSince { get; init; }
    /// <summary>Until when the secret before the last rotation still signs (both signatures are sent).</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The signing secret (<c>whsec_…</c>); returned on create and rotate only — store it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    public static WebhookEndpointResponse From(WebhookEndpoint e, DateTimeOffset now, string? secret = null) => new()
    {
        Id = e.Id,
        Url = e.Url,
        Description = e.Description,
        Events = e.Events,
        Enabled = e.Enabled,
        DisabledReason = e.DisabledReason,
        FailingSince = e.FailingSince,
        PreviousSecretExpiresAt = e.PreviousSecretExpiresAt > now ? e.PreviousSecretExpiresAt : null,
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.UpdatedAt,
        Secret = secret,
    };
}

public sealed record WebhookEndpointListResponse(IReadOnlyList<WebhookEndpointResponse> Data);

/// <summary>One delivery of one event to one endpoint; <c>id</c> is the <c>webhook-id</c> header of every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    Guid Id,
    Guid EventId,
    string Type,
    string Status,
    int Attempts,
    int? LastResponseCode,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d, string type) =>
        new(d.Id, d.EventId, type, d.Status, d.Attempts, d.LastResponseCode, d.LastError, d.NextAttemptAt, d.CreatedAt, d.CompletedAt);
}

public sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Data, bool HasMore, Guid? NextBefore);

public sealed record WebhookTestResponse(Guid DeliveryId, Guid EventId);

public sealed class WebhookIdRequest
{
    public Guid Id { get; set; }
}

public sealed class CreateWebhookRequest
{
    /// <summary>https URL that receives POSTs (plain http only for hosts allowed in development).</summary>
    public string Url { get; set; } = "";
    /// <summary>Event types to deliver; empty or absent = all.</summary>
    public List<string>? Events { get; set; }
    public string? Description { get; set; }
}

public sealed class UpdateWebhookRequest
{
    public Guid Id { get; set; }
    public string? Url { get; set; }
    public List<string>? Events { get; set; }
    public string? Description { get; set; }
    /// <summary>false disables the endpoint (reason <c>manual</c>); true re-enables it and clears disabled_reason and failing_since.</summary>
    public bool? Enabled { get; set; }
}

public sealed class ListDeliveriesRequest
{
    public Guid Id { get; set; }
    /// <summary>Page size, 1–100 (default 20).</summary>
    public int? Limit { get; set; }
    /// <summary>Cursor: the <c>next_before</c> of the previous page (a delivery id); pages go from newest to oldest.</summary>
    public Guid? Before { get; set; }
}

public sealed class ResendDeliveryRequest
{
    public Guid Id { get; set; }
    [BindFrom("delivery_id")]
    public Guid DeliveryId { get; set; }
}

internal static class WebhookRules
{
    public const string EventsMessage = "Each event must be one of: job.published, job.failed, publication.completed, connection.connected, connection.reauth_required, connection.expiring, connection.revoked.";

    /// <summary>Types an endpoint can subscribe to (webhook.test always reaches the endpoint it was sent to).</summary>
    public static readonly HashSet<string> SubscribableEvents = WebhookEventTypes.All.Where(t => t != WebhookEventTypes.WebhookTest).ToHashSet(StringComparer.Ordinal);
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

public sealed class UpdateWebhookValidator : Validator<UpdateWebhookRequest>
{
    public UpdateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(2048).When(x => x.Url is not null);
        RuleForEach(x => x.Events).Must(WebhookRules.SubscribableEvents.Contains!).WithMessage(WebhookRules.EventsMessage);
        RuleFor(x => x.Description).MaximumLength(500);
    }
}

public sealed class ListDeliveriesValidator : Validator<ListDeliveriesRequest>
{
    public ListDeliveriesValidator() => RuleFor(x => x.Limit).InclusiveBetween(1, 100).When(x => x.Limit is not null);
}
