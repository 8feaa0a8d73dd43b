using System.Net;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Platforms;

namespace Orbyt.Tests.Credentials;

public sealed class RefreshFailureTests
{
    [Theory]
    [InlineData(458, "app_not_installed")]
    [InlineData(459, "user_checkpointed")]
    [InlineData(460, "password_changed")]
    [InlineData(463, "token_expired")]
    [InlineData(464, "unconfirmed_user")]
    [InlineData(467, "token_invalidated")]
    [InlineData(492, "page_role_removed")]
    public void Meta_190_with_an_invalidating_subcode_is_definitive_with_its_reason(int subcode, string reason)
    {
        var failure = RefreshFailure.Classify(Meta(HttpStatusCode.BadRequest, 190, subcode));

        Assert.Equal(RefreshFailureClass.Definitive, failure!.Class);
        Assert.Equal(reason, failure.Reason);
    }

    [Theory]
    [InlineData(102, null, "token_invalid")]
    [InlineData(190, null, "token_invalid")]
    [InlineData(10, null, "permission_revoked")]
    [InlineData(200, null, "permission_revoked")]
    [InlineData(299, null, "permission_revoked")]
    public void Session_and_permission_errors_are_definitive(int code, int? subcode, string reason)
    {
        var failure = RefreshFailure.FromMeta(code, subcode, null, HttpStatusCode.BadRequest);

        Assert.Equal(RefreshFailureClass.Definitive, failure.Class);
        Assert.Equal(reason, failure.Reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(341)]
    [InlineData(613)]
    [InlineData(80001)]
    [InlineData(80014)]
    public void Meta_throttling_and_outage_codes_are_transient(int code)
    {
        Assert.Equal(RefreshFailureClass.Transient, RefreshFailure.Classify(Meta(HttpStatusCode.BadRequest, code, null))!.Class);
    }

    [Fact]
    public void A_meta_error_flagged_is_transient_is_transient_whatever_its_code()
    {
        var failure = RefreshFailure.Classify(new MetaApiException(HttpStatusCode.BadRequest, 100, null, "x", null, null, true, null));

        Assert.Equal(RefreshFailureClass.Transient, failure!.Class);
    }

    [Fact]
    public void A_meta_5xx_without_an_envelope_is_transient()
    {
        var failure = RefreshFailure.Classify(Meta(HttpStatusCode.BadGateway, 0, null));

        Assert.Equal(RefreshFailureClass.Transient, failure!.Class);
    }

    [Fact]
    public void A_190_on_debug_tokens_own_call_blames_the_app_token_not_the_user()
    {
        var failure = RefreshFailure.Classify(Meta(HttpStatusCode.BadRequest, 190, null), tokenUnderTest: false);

        Assert.Equal(RefreshFailureClass.Unknown, failure!.Class);
        Assert.Equal("app_token_rejected", failure.Reason);
    }

    [Fact]
    public void An_unclassified_meta_error_is_unknown_and_never_definitive()
    {
        Assert.Equal(RefreshFailureClass.Unknown, RefreshFailure.Classify(Meta(HttpStatusCode.BadRequest, 100, 33))!.Class);
    }

    [Fact]
    public void Google_invalid_grant_is_definitive()
    {
        var failure = RefreshFailure.Classify(new GoogleOAuthException(HttpStatusCode.BadRequest, "invalid_grant", "Token has been expired or revoked."));

        Assert.Equal(RefreshFailureClass.Definitive, failure!.Class);
        Assert.Equal("invalid_grant", failure.Reason);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "platform_unavailable")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "platform_unavailable")]
    [InlineData(HttpStatusCode.TooManyRequests, "rate_limited")]
    public void Google_5xx_and_429_are_transient(HttpStatusCode status, string reason)
    {
        var failure = RefreshFailure.Classify(new GoogleOAuthException(status, "server_error", null));

        Assert.Equal(RefreshFailureClass.Transient, failure!.Class);
        Assert.Equal(reason, failure.Reason);
    }

    [Fact]
    public void Google_invalid_client_is_our_configuration_not_the_users_grant()
    {
        var failure = RefreshFailure.Classify(new GoogleOAuthException(HttpStatusCode.Unauthorized, "invalid_client", "Unauthorized"));

        Assert.Equal(RefreshFailureClass.Unknown, failure!.Class);
    }

    [Fact]
    public void Network_errors_and_timeouts_are_transient()
    {
        Assert.Equal(RefreshFailureClass.Transient, RefreshFailure.Classify(new HttpRequestException("connection refused"))!.Class);
        Assert.Equal(RefreshFailureClass.Transient, RefreshFailure.Classify(new TaskCanceledException())!.Class);
        Assert.Equal(RefreshFailureClass.Transient, RefreshFailure.Classify(new Polly.Timeout.TimeoutRejectedException())!.Class);
    }

    [Fact]
    public void A_programming_error_is_not_classified_and_so_not_swallowed()
    {
        Assert.Null(RefreshFailure.Classify(new InvalidOperationException()));
    }

    [Fact]
    public void No_failure_detail_contains_the_platform_message()
    {
        var failure = RefreshFailure.Classify(new MetaApiException(HttpStatusCode.BadRequest, 190, 460, "token EAAGsecret is invalid", null, null, null, null));

        Assert.DoesNotContain("EAAG", failure!.Detail);
    }

    private static MetaApiException Meta(HttpStatusCode status, int code, int? subcode) =>
        new(status, code, subcode, "message", "OAuthException", "trace", null, null);
}

public sealed class RefreshBackoffTests
{
    private static readonly RefreshBackoff Backoff = new(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(50, 3600)]
    public void The_delay_doubles_per_failure_up_to_the_cap(int failures, double ceilingSeconds)
    {
        Assert.Equal(ceilingSeconds, Backoff.Delay(failures, 1.0).TotalSeconds, 3);
        Assert.Equal(ceilingSeconds / 2, Backoff.Delay(failures, 0.0).TotalSeconds, 3);
    }

    [Fact]
    public void Jitter_spreads_replicas_over_the_upper_half_of_the_window()
    {
        var delays = Enumerable.Range(0, 1000).Select(i => Backoff.Delay(4, i / 999.0).TotalSeconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 120, 240));
        Assert.True(delays.Distinct().Count() > 900);
    }

    [Fact]
    public void Default_options_are_valid_and_nonsense_is_refused_with_the_setting_name()
    {
        var validator = new TokenRefreshOptionsValidator();

        Assert.True(validator.Validate(null, new TokenRefreshOptions()).Succeeded);
        var result = validator.Validate(null, new TokenRefreshOptions { Parallelism = 0, GoogleGrantCheckHours = 48 });
        Assert.True(result.Failed);
        Assert.Contains("Orbyt:TokenRefresher:Parallelism", result.FailureMessage);
        Assert.Contains("Orbyt:TokenRefresher:GoogleGrantCheckHours", result.FailureMessage);
    }
}
