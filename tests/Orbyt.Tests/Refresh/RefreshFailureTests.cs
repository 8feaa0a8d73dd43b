using System.Net;
using Orbyt.Core.Credentials;
using Orbyt.Core.Platforms;

namespace Orbyt.Tests.Refresh;

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
