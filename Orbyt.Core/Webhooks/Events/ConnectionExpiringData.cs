using Orbyt.Core.Credentials;

namespace Orbyt.Core.Webhooks.Events;

/// <summary><c>data</c> of <c>connection.expiring</c>: publishing stops working at <c>expires_at</c> unless the user reconnects.</summary>
public sealed record ConnectionExpiringData(ConnectionResponse Connection, DateTimeOffset ExpiresAt, string Reason) : IWebhookEventData;
