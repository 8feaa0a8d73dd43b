namespace Orbyt.Core.Webhooks;

public static class WebhookDisabledReasons
{
    /// <summary>The receiver answered 410 Gone.</summary>
    public const string Gone = "gone";
    /// <summary>Every attempt failed for the configured period (5 days).</summary>
    public const string Failing = "failing";
    /// <summary>The API client disabled it (PATCH enabled=false).</summary>
    public const string Manual = "manual";
}
