namespace Orbyt.Core.Webhooks.Events;

/// <summary><c>data</c> of <c>webhook.test</c>.</summary>
public sealed record WebhookTestData(Guid WebhookEndpointId, string Message) : IWebhookEventData;
