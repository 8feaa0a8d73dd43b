namespace Orbyt.Uploader.Webhooks;

/// <summary>What one attempt produced: a status code, or an error before any response (timeout, refused, forbidden address).</summary>
public sealed record WebhookAttemptResult(int? StatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
    public bool Gone => StatusCode == 410;

    /// <summary>
    /// The receiver refused this delivery itself (a 4xx: a bad signature, a stale timestamp, a body it cannot take):
    /// sending it again unchanged would be refused again, so it is not retried. 408 (timeout), 425 (too early) and
    /// 429 (slow down) say "later", and are retried; 410 is <see cref="Gone"/>.
    /// </summary>
    public bool Rejected => StatusCode is >= 400 and < 500 and not (408 or 410 or 425 or 429);
}
