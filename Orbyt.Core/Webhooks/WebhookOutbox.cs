using System.Diagnostics;
using System.Text.Json;
using Orbyt.Core.Data;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.Core.Webhooks;

/// <summary>
/// Records events in the transactional outbox: the caller adds the event to the same DbContext (and so the same
/// SaveChanges/transaction) as the state change that caused it. The dispatcher fans it out to endpoints later.
/// </summary>
public static class WebhookOutbox
{
    public static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>
    /// Adds an event <c>{type, timestamp, data}</c> with the current trace context (its deliveries join that trace);
    /// nothing is written until the caller saves.
    /// </summary>
    public static WebhookEvent Add<TData>(OrbytDbContext db, Guid clientId, string type, TData data, DateTimeOffset now, string? callbackUrl = null)
        where TData : IWebhookEventData
    {
        var payload = JsonSerializer.SerializeToDocument(new WebhookEnvelope<TData>(type, now, data), PayloadJson);
        var @event = new WebhookEvent
        {
            Id = Guid.CreateVersion7(now),
            ClientId = clientId,
            Type = type,
            Payload = payload,
            CallbackUrl = callbackUrl,
            CreatedAt = now,
            TraceParent = Activity.Current?.Id,
        };
        db.WebhookEvents.Add(@event);
        return @event;
    }
}
