namespace Orbyt.Uploader.Webhooks;

/// <summary>The delivery's next state after an attempt.</summary>
public sealed record WebhookDeliveryDecision(string Status, string Outcome, DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt);
