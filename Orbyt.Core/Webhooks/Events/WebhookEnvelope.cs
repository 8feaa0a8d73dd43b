namespace Orbyt.Core.Webhooks.Events;

/// <summary>The body of every delivery: <c>{type, timestamp, data}</c>.</summary>
public sealed record WebhookEnvelope<TData>(string Type, DateTimeOffset Timestamp, TData Data) where TData : IWebhookEventData;
