using Microsoft.Extensions.Time.Testing;
using Orbyt.Core.Data;
using Orbyt.Core.Webhooks;
using Orbyt.Uploader.Webhooks;

namespace Orbyt.Tests.Webhooks;

public sealed class WebhookRetryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_standard_schedule_is_the_specifications_ten_attempts()
    {
        var expected = new[] { 0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400 }.Select(s => TimeSpan.FromSeconds(s));

        Assert.Equal(expected, WebhookRetrySchedule.Standard.Delays);
        Assert.Equal(10, WebhookRetrySchedule.Standard.MaxAttempts);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(3, 1800)]
    [InlineData(4, 7200)]
    [InlineData(9, 86400)]
    public void Each_retry_waits_its_scheduled_delay_within_ten_percent_jitter(int attemptsMade, int seconds)
    {
        var schedule = WebhookRetrySchedule.Standard;

        var earliest = schedule.NextDelay(attemptsMade, random: 0.0)!.Value;
        var middle = schedule.NextDelay(attemptsMade, random: 0.5)!.Value;
        var latest = schedule.NextDelay(attemptsMade, random: 0.999999)!.Value;

        Assert.Equal(TimeSpan.FromSeconds(seconds * 0.9), earliest);
        Assert.Equal(TimeSpan.FromSeconds(seconds), middle);
        Assert.InRange(latest, TimeSpan.FromSeconds(seconds * 1.0999), TimeSpan.FromSeconds(seconds * 1.1));
    }

    [Fact]
    public void After_the_tenth_failed_attempt_there_is_no_next_attempt()
    {
        Assert.NotNull(WebhookRetrySchedule.Standard.NextDelay(9, 0.5));
        Assert.Null(WebhookRetrySchedule.Standard.NextDelay(10, 0.5));
    }

    [Fact]
    public void A_retry_after_later_than_the_schedule_wins()
    {
        var delay = WebhookRetrySchedule.Standard.NextDelay(1, 0.5, retryAfter: TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.FromMinutes(2), delay);
    }

    [Fact]
    public void A_retry_after_earlier_than_the_schedule_is_ignored()
    {
        var delay = WebhookRetrySchedule.Standard.NextDelay(2, 0.5, retryAfter: TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMinutes(5), delay);
    }

    [Fact]
    public void A_retry_after_is_capped_at_the_longest_scheduled_delay()
    {
        var delay = WebhookRetrySchedule.Standard.NextDelay(1, 0.5, retryAfter: TimeSpan.FromDays(30));

        Assert.Equal(TimeSpan.FromHours(24), delay);
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData("Sun, 01 Mar 2026 12:10:00 GMT", 600)]
    public void Retry_after_is_read_as_seconds_or_as_an_http_date(string value, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), WebhookRetrySchedule.ParseRetryAfter(value, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("Sun, 01 Mar 2026 11:00:00 GMT")]
    public void Retry_after_that_is_absent_invalid_or_past_is_ignored(string? value)
    {
        Assert.Null(WebhookRetrySchedule.ParseRetryAfter(value, Now));
    }

    [Theory]
    [InlineData("0,1,1", true)]
    [InlineData(" 0 , 5 ,300", true)]
    [InlineData("", false)]
    [InlineData("0,-1", false)]
    [InlineData("0,a", false)]
    [InlineData("1.5", false)]
    public void A_configured_schedule_is_whole_non_negative_seconds(string value, bool valid)
    {
        Assert.Equal(valid, WebhookRetrySchedule.TryParse(value, out _));
    }

    [Fact]
    public void A_2xx_completes_the_delivery()
    {
        var decision = WebhookDeliveryPolicy.Decide(1, new WebhookAttemptResult(204, null), Now, WebhookRetrySchedule.Standard, 0.5);

        Assert.Equal(DeliveryStatuses.Succeeded, decision.Status);
        Assert.Equal(Now, decision.CompletedAt);
        Assert.Null(decision.NextAttemptAt);
    }

    [Fact]
    public void A_410_fails_the_delivery_for_good_with_outcome_gone()
    {
        var decision = WebhookDeliveryPolicy.Decide(1, new WebhookAttemptResult(410, "HTTP 410"), Now, WebhookRetrySchedule.Standard, 0.5);

        Assert.Equal(DeliveryStatuses.Failed, decision.Status);
        Assert.Equal(WebhookOutcomes.Gone, decision.Outcome);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public void A_4xx_refusal_fails_the_delivery_at_once_with_outcome_rejected(int status)
    {
        var decision = WebhookDeliveryPolicy.Decide(1, new WebhookAttemptResult(status, $"HTTP {status}"), Now, WebhookRetrySchedule.Standard, 0.5);

        Assert.Equal(DeliveryStatuses.Failed, decision.Status);
        Assert.Equal(WebhookOutcomes.Rejected, decision.Outcome);
        Assert.Null(decision.NextAttemptAt);
        Assert.Equal(Now, decision.CompletedAt);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(302)]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(null)]
    public void Any_other_answer_or_no_answer_is_retried_on_schedule(int? status)
    {
        var decision = WebhookDeliveryPolicy.Decide(1, new WebhookAttemptResult(status, "x"), Now, WebhookRetrySchedule.Standard, 0.5);

        Assert.Equal(DeliveryStatuses.Pending, decision.Status);
        Assert.Equal(WebhookOutcomes.Retrying, decision.Outcome);
        Assert.Equal(Now.AddSeconds(5), decision.NextAttemptAt);
    }

    [Fact]
    public void The_last_scheduled_attempt_failing_fails_the_delivery()
    {
        var decision = WebhookDeliveryPolicy.Decide(10, new WebhookAttemptResult(500, "HTTP 500"), Now, WebhookRetrySchedule.Standard, 0.5);

        Assert.Equal(DeliveryStatuses.Failed, decision.Status);
        Assert.Equal(WebhookOutcomes.Failed, decision.Outcome);
    }

    [Fact]
    public void An_endpoint_is_disabled_once_it_has_failed_for_five_days_and_not_before()
    {
        var time = new FakeTimeProvider(Now);
        var failingSince = time.GetUtcNow();
        var limit = TimeSpan.FromDays(5);

        time.Advance(TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1));
        Assert.False(WebhookDeliveryPolicy.ShouldDisableForFailing(failingSince, time.GetUtcNow(), limit));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(WebhookDeliveryPolicy.ShouldDisableForFailing(failingSince, time.GetUtcNow(), limit));
        Assert.False(WebhookDeliveryPolicy.ShouldDisableForFailing(null, time.GetUtcNow(), limit));
    }
}
