using System.Globalization;
using System.Net;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.Publishing;

namespace Orbyt.Tests.Uploader;

/// <summary>
/// What the Uploader does with a platform's error: wait (no attempt spent), retry (attempt budget) or fail, how long it
/// waits, and which catalog entry the caller sees. The code-by-code table against the sandbox's real envelopes is
/// tests/Orbyt.IntegrationTests/Publishing/PlatformErrorMappingTests.cs; these pin the decisions around it.
/// </summary>
public sealed class PlatformErrorClassifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-07-01T12:00:00Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(190, 460)]
    [InlineData(190, 2207042)]
    [InlineData(102, null)]
    public void A_dead_meta_token_fails_with_reauth_required_whatever_else_the_subcode_says(int code, int? subcode)
    {
        var failed = Assert.IsType<StepOutcome.Failed>(PlatformErrorClassifier.Classify(Meta(code, subcode)));

        Assert.Equal(ErrorCatalog.ReauthRequired.Code, failed.Error.Code);
        Assert.True(failed.Error.ReauthRequired);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    [InlineData(299)]
    public void A_missing_meta_permission_fails_with_insufficient_permissions(int code)
    {
        var failed = Assert.IsType<StepOutcome.Failed>(PlatformErrorClassifier.Classify(Meta(code, null)));

        Assert.Equal(ErrorCatalog.InsufficientPermissions.Code, failed.Error.Code);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(341)]
    [InlineData(613)]
    [InlineData(80000)]
    [InlineData(80014)]
    public void A_meta_throttle_waits_the_rate_limit_pause_without_spending_an_attempt(int code)
    {
        var wait = Assert.IsType<StepOutcome.Wait>(PlatformErrorClassifier.Classify(Meta(code, null)));

        Assert.Equal(PlatformErrorClassifier.RateLimitWait, wait.Delay);
        Assert.Equal(JobStages.WaitingRateLimit, wait.Stage);
        Assert.Equal(ErrorCatalog.PlatformRateLimited.Code, wait.Reason!.Code);
    }

    [Fact]
    public void The_instagram_publishing_limit_waits_an_hour_for_the_window_to_move()
    {
        var wait = Assert.IsType<StepOutcome.Wait>(PlatformErrorClassifier.Classify(Meta(9, 2207042)));

        Assert.Equal(TimeSpan.FromHours(1), wait.Delay);
        Assert.Equal(JobStages.WaitingRateLimit, wait.Stage);
        Assert.Equal(ErrorCatalog.InstagramPublishingLimitReached.Code, wait.Reason!.Code);
    }

    [Fact]
    public void A_video_meta_is_still_processing_is_polled_again_without_an_error()
    {
        var wait = Assert.IsType<StepOutcome.Wait>(PlatformErrorClassifier.Classify(Meta(9007, null)));

        Assert.Equal(TimeSpan.FromSeconds(10), wait.Delay);
        Assert.Equal(JobStages.PlatformProcessing, wait.Stage);
        Assert.Null(wait.Reason);
    }

    [Fact]
    public void An_unknown_meta_code_flagged_transient_is_retried_as_platform_unavailable()
    {
        var retry = Assert.IsType<StepOutcome.Retry>(PlatformErrorClassifier.Classify(Meta(12345, null, isTransient: true)));

        Assert.Equal(ErrorCatalog.PlatformUnavailable.Code, retry.Error.Code);
        Assert.Null(retry.After);
    }

    [Fact]
    public void An_unknown_meta_5xx_is_retried_as_platform_unavailable()
    {
        var retry = Assert.IsType<StepOutcome.Retry>(PlatformErrorClassifier.Classify(Meta(12345, null, status: HttpStatusCode.BadGateway)));

        Assert.Equal(ErrorCatalog.PlatformUnavailable.Code, retry.Error.Code);
    }

    [Fact]
    public void An_unknown_meta_error_fails_as_unknown_and_keeps_the_platforms_code_subcode_and_trace_id()
    {
        var failed = Assert.IsType<StepOutcome.Failed>(PlatformErrorClassifier.Classify(Meta(12345, 67, trace: "AbCdEf")));

        Assert.Equal(ErrorCatalog.PlatformErrorUnknown.Code, failed.Error.Code);
        Assert.Equal(new PlatformErrorDetail("12345", "67", "message", "AbCdEf"), failed.Error.Platform);
    }

    [Fact]
    public void A_meta_message_quoting_a_signed_media_url_keeps_only_its_path()
    {
        var error = new MetaApiException(HttpStatusCode.BadRequest, 100, null, "could not fetch https://stream.mux.com/abc/high.mp4?token=secret", null, null, null, null);

        var failed = Assert.IsType<StepOutcome.Failed>(PlatformErrorClassifier.Classify(error));

        Assert.DoesNotContain("secret", failed.Error.Platform!.Message);
        Assert.Contains("https://stream.mux.com/abc/high.mp4", failed.Error.Platform.Message);
    }

    [Fact]
    public void An_exhausted_youtube_quota_waits_until_just_after_midnight_in_los_angeles_on_the_platforms_clock()
    {
        var wait = Assert.IsType<StepOutcome.Wait>(PlatformErrorClassifier.ClassifyYouTube(HttpStatusCode.Forbidden, "quotaExceeded", "quota", Now));

        // 12:00 UTC in July is 05:00 PDT: midnight is 19 hours away, then five seconds' margin.
        Assert.Equal(TimeSpan.FromHours(19) + TimeSpan.FromSeconds(5), wait.Delay);
        Assert.Equal(JobStages.WaitingRateLimit, wait.Stage);
        Assert.Equal(ErrorCatalog.YouTubeQuotaExceeded.Code, wait.Reason!.Code);
        Assert.Equal("quotaExceeded", wait.Reason.Platform!.Subcode);
    }

    [Fact]
    public void The_youtube_daily_upload_limit_waits_a_day()
    {
        var wait = Assert.IsType<StepOutcome.Wait>(PlatformErrorClassifier.ClassifyYouTube(HttpStatusCode.BadRequest, "uploadLimitExceeded", "limit", Now));

        Assert.Equal(TimeSpan.FromHours(24), wait.Delay);
        Assert.Equal(ErrorCatalog.YouTubeUploadLimitExceeded.Code, wait.Reason!.Code);
    }

    [Theory]
    [InlineData("rateLimitExceeded")]
    [InlineData("userRateLimitExceeded")]
    [InlineData("uploadRateLimitExceeded")]
    [InlineData("tooManyRequests")]
    public void A_youtube_rate_limit_waits_the_rate_limit_pause(string reason)
    {
        var wait = Assert.IsType<StepOutcome.Wait>(PlatformErrorClassifier.ClassifyYouTube(HttpStatusCode.Forbidden, reason, "slow down", Now));

        Assert.Equal(PlatformErrorClassifier.RateLimitWait, wait.Delay);
        Assert.Equal(ErrorCatalog.PlatformRateLimited.Code, wait.Reason!.Code);
    }

    [Fact]
    public void A_youtube_401_without_a_known_reason_is_retried_after_a_second_with_a_fresh_token()
    {
        var retry = Assert.IsType<StepOutcome.Retry>(PlatformErrorClassifier.ClassifyYouTube(HttpStatusCode.Unauthorized, "authError", "expired", Now));

        Assert.Equal(TimeSpan.FromSeconds(1), retry.After);
        Assert.Equal(ErrorCatalog.PlatformUnavailable.Code, retry.Error.Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void A_youtube_5xx_is_retried_on_the_jobs_backoff(HttpStatusCode status)
    {
        var retry = Assert.IsType<StepOutcome.Retry>(PlatformErrorClassifier.ClassifyYouTube(status, "backendError", "oops", Now));

        Assert.Null(retry.After);
        Assert.Equal(ErrorCatalog.PlatformUnavailable.Code, retry.Error.Code);
    }

    [Theory]
    [InlineData("authorizationRequired", "reauth_required")]
    [InlineData("youtubeSignupRequired", "youtube_channel_required")]
    [InlineData("channelSuspended", "platform_account_restricted")]
    [InlineData("invalidTitle", "platform_rejected")]
    [InlineData("someNewReason", "platform_error_unknown")]
    public void A_youtube_rejection_fails_with_its_catalog_code(string reason, string code)
    {
        var failed = Assert.IsType<StepOutcome.Failed>(PlatformErrorClassifier.ClassifyYouTube(HttpStatusCode.BadRequest, reason, "no", Now));

        Assert.Equal(code, failed.Error.Code);
        Assert.Equal(new PlatformErrorDetail("400", reason, "no", null), failed.Error.Platform);
    }

    [Theory]
    [InlineData("2026-07-01T06:59:50Z", 15)]
    [InlineData("2026-12-01T07:59:59Z", 6)]
    public void The_wait_until_pacific_midnight_adds_five_seconds_past_it(string platformNow, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PlatformErrorClassifier.UntilPacificMidnight(DateTimeOffset.Parse(platformNow, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("ERROR: Media download failed (2207003)", "2207003")]
    [InlineData("EXPIRED 2207020", "2207020")]
    [InlineData("FINISHED", null)]
    [InlineData(null, null)]
    public void The_subcode_is_read_out_of_an_instagram_containers_status_text(string? status, string? subcode)
    {
        Assert.Equal(subcode, PlatformErrorClassifier.ContainerSubcode(status));
    }

    private static MetaApiException Meta(int code, int? subcode, bool? isTransient = null, HttpStatusCode status = HttpStatusCode.BadRequest, string? trace = null) =>
        new(status, code, subcode, "message", "OAuthException", trace, isTransient, null);
}
