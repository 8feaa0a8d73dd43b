namespace Orbyt.Api.OpenApi;

/// <summary>One event type of the <c>webhooks</c> section: its payload's <c>data</c> type and when it is sent.</summary>
public sealed record WebhookEventDoc(string Type, Type Data, string Summary, string Description);
