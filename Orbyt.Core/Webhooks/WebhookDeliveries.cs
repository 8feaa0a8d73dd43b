using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orbyt.Core.Data;

namespace Orbyt.Core.Webhooks;

public static class WebhookDeliveries
{
    /// <summary>A pending delivery of <paramref name="event"/>; its id is the <c>webhook-id</c> for every attempt.</summary>
    public static WebhookDelivery Create(WebhookEvent @event, Guid? endpointId, string targetUrl, DateTimeOffset now, WebhookRetrySchedule schedule) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventId = @event.Id,
        ClientId = @event.ClientId,
        EndpointId = endpointId,
        TargetUrl = targetUrl,
        Status = DeliveryStatuses.Pending,
        NextAttemptAt = now + schedule.Delays[0],
        CreatedAt = now,
    };

    /// <summary>
    /// The request body: <c>{"type", "timestamp", "data"}</c> in that order. jsonb does not keep key order, so the
    /// envelope is written explicitly; the same stored payload always renders to the same bytes, so retries are identical.
    /// </summary>
    public static string RenderBody(JsonDocument payload)
    {
        var root = payload.RootElement;
        using var buffer = new MemoryStream();
        // Relaxed escaping: "+00:00" stays readable instead of "\u002B00:00" (the body is JSON, never HTML).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var name in (string[])["type", "timestamp", "data"])
            {
                if (root.TryGetProperty(name, out var value))
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
