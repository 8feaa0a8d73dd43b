namespace Orbyt.Uploader.Webhooks;

/// <summary>What one attempt produced: a status code, or an error before any response (timeout, refused, forbidden address).</summary>
public sealed record WebhookAttemptResult(int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
    public bool Gone => StatusCode == 410;
}
