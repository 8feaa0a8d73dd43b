namespace Orbyt.Core.Security;

/// <summary>Thrown by <see cref="OutboundUrlGuard.ConnectAsync"/> when a connection would reach an internal address.</summary>
public sealed class OutboundAddressForbiddenException(string host) : IOException($"Connections to '{host}' are not allowed: it resolves to an internal address.")
{
    public string Host { get; } = host;
}
