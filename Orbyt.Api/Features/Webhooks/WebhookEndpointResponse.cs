using System.Text.Json.Serialization;
using Orbyt.Core.Data;

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
