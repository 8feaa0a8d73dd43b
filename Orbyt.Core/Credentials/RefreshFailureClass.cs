namespace Orbyt.Core.Credentials;

/// <summary>How a failed refresh or check is handled (<see cref="RefreshFailure.Class"/>).</summary>
public enum RefreshFailureClass
{
    /// <summary>Network, timeout, 5xx, rate limit: retry with backoff; never marks a connection.</summary>
    Transient,
    /// <summary>The grant is dead (invalid_grant, Meta 190/102, permission revoked): every affected connection needs a reconnect.</summary>
    Definitive,
    /// <summary>Neither (our configuration, an unexpected answer): retried like a transient failure and escalated, never blamed on the user.</summary>
    Unknown,
}
