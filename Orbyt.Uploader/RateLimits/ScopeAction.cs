namespace Orbyt.Uploader.RateLimits;

/// <summary>What one Meta answer asks of one budget scope: stop it for a while, or slow it down.</summary>
public abstract record ScopeAction(string Scope, string Reason)
{
    /// <summary>No calls on the scope until <paramref name="Duration"/> has passed.</summary>
    public sealed record Pause(string Scope, TimeSpan Duration, string Reason) : ScopeAction(Scope, Reason);

    /// <summary>At most one call per spacing on the scope for a while (usage at <paramref name="Percent"/>).</summary>
    public sealed record SlowDown(string Scope, int Percent, string Reason) : ScopeAction(Scope, Reason);
}
