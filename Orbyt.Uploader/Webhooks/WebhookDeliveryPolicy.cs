using Orbyt.Core.Data;
using Orbyt.Core.Webhooks;

namespace Orbyt.Uploader.Webhooks;

/// <summary>Pure rules of the delivery state machine, kept apart from I/O so they are tested with a fake clock.</summary>
public static class WebhookDeliveryPolicy
{
    /// <param name="attemptsMade">Attempts made so far, this one included.</param>
    /// <param name="random">A value in [0, 1) for the retry jitter.</param>
    public static WebhookDeliveryDecision Decide(int attemptsMade, WebhookAttemptResult result, DateTimeOffset now, WebhookRetrySchedule schedule, double random)
    {
        if (result.Succeeded)
            return new(DeliveryStatuses.Succeeded, WebhookOutcomes.Succeeded, null, now);
        if (result.Gone)
            return new(DeliveryStatuses.Failed, WebhookOutcomes.Gone, null, now);
        if (result.Rejected)
            return new(DeliveryStatuses.Failed, WebhookOutcomes.Rejected, null, now);
        return schedule.NextDelay(attemptsMade, random, result.RetryAfter) is { } delay
            ? new(DeliveryStatuses.Pending, WebhookOutcomes.Retrying, now + delay, null)
            : new(DeliveryStatuses.Failed, WebhookOutcomes.Failed, null, now);
    }

    /// <summary>An endpoint whose failures started at <paramref name="failingSince"/> is disabled once they have lasted <paramref name="limit"/>.</summary>
    public static bool ShouldDisableForFailing(DateTimeOffset? failingSince, DateTimeOffset now, TimeSpan limit) =>
        failingSince is { } since && now - since >= limit;
}
