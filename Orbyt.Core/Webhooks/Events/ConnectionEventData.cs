using Orbyt.Core.Credentials;
using Orbyt.Core.Data;

namespace Orbyt.Core.Webhooks.Events;

/// <summary><c>data</c> of <c>connection.connected</c>, <c>connection.reauth_required</c> and <c>connection.revoked</c>.</summary>
public sealed record ConnectionEventData(ConnectionResponse Connection) : IWebhookEventData
{
    public static ConnectionEventData From(Connection connection, Credential? credential) =>
        new(ConnectionResponse.From(connection, credential));
}
