namespace Orbyt.TokenRefresher.Checks;

/// <summary>What one locked pass over a credential did (metric tag <c>outcome</c>).</summary>
public enum RefreshOutcome
{
    /// <summary>Nothing to do: someone else refreshed or holds it, or it is no longer due.</summary>
    Skipped,
    /// <summary>Looked at it (debug_token, or a Google token nobody needs yet) and rescheduled.</summary>
    Checked,
    /// <summary>A new access token was obtained (Google refresh).</summary>
    Refreshed,
    /// <summary>A Meta long-lived user token was exchanged for a new one.</summary>
    Reexchanged,
    Failed,
}
