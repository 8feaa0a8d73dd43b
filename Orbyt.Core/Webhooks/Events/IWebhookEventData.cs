namespace Orbyt.Core.Webhooks.Events;

/// <summary>
/// The <c>data</c> of a webhook event. Only these records go into the outbox, and the OpenAPI <c>webhooks</c>
/// section is generated from the same types, so what is sent and what is documented cannot drift apart.
/// </summary>
public interface IWebhookEventData;
