using System.Text.Json;

namespace Orbyt.Core.Data;

/// <summary>An event, written in the same transaction as the state change that caused it (transactional outbox).</summary>
public sealed class WebhookEvent
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string Type { get; set; }
    public required JsonDocument Payload { get; set; }
    /// <summary>Per-publication callback target, when the event belongs to a publication with a callback_url.</summary>
    public string? CallbackUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// W3C traceparent of the span that recorded the event (a job step, a request, a refresh): every delivery attempt
    /// is a span in that trace, so a publication's webhooks appear in the publication's trace.
    /// </summary>
    public string? TraceParent { get; set; }
    /// <summary>Set once deliveries have been fanned out for this event.</summary>
    public DateTimeOffset? DispatchedAt { get; set; }
}
