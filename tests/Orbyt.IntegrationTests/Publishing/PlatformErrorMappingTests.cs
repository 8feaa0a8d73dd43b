using System.Net.Http.Json;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms.Google;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Uploader.Publishing;

namespace Orbyt.IntegrationTests.Publishing;

/// <summary>
/// Every Meta code/subcode and YouTube reason the Uploader maps, written by the sandbox exactly
/// as the platform writes it (an <c>error</c> fault), read by our clients' own parsers and mapped by the Uploader's
/// classifier: each yields its catalog code with the catalog's flags, and keeps the platform's code, subcode and
/// trace id. The table is the one in docs/rate-limits.md.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PlatformErrorMappingTests(AppHostFixture fixture)
{
    /// <summary>How the Uploader treats the error: wait (no attempt spent), retry (attempt budget), or fail.</summary>
    public enum Kind { Wait, Retry, Fail }

    public static TheoryData<int, int?, Kind, string> MetaErrors => new()
    {
        { 1, null, Kind.Retry, "platform_unavailable" },
        { 2, null, Kind.Retry, "platform_unavailable" },
        { 3, null, Kind.Fail, "platform_rejected" },
        { 4, null, Kind.Wait, "platform_rate_limited" },
        { 10, null, Kind.Fail, "insufficient_permissions" },
        { 17, null, Kind.Wait, "platform_rate_limited" },
        { 17, 2446079, Kind.Wait, "platform_rate_limited" },
        { 32, null, Kind.Wait, "platform_rate_limited" },
        { 100, null, Kind.Fail, "platform_rejected" },
        { 100, 33, Kind.Fail, "platform_rejected" },
        { 102, null, Kind.Fail, "reauth_required" },
        { 190, null, Kind.Fail, "reauth_required" },
        { 190, 458, Kind.Fail, "reauth_required" },
        { 190, 459, Kind.Fail, "reauth_required" },
        { 190, 460, Kind.Fail, "reauth_required" },
        { 190, 463, Kind.Fail, "reauth_required" },
        { 190, 464, Kind.Fail, "reauth_required" },
        { 190, 467, Kind.Fail, "reauth_required" },
        { 190, 492, Kind.Fail, "reauth_required" },
        { 200, null, Kind.Fail, "insufficient_permissions" },
        { 299, null, Kind.Fail, "insufficient_permissions" },
        { 341, null, Kind.Wait, "platform_rate_limited" },
        { 368, 4854002, Kind.Fail, "platform_account_restricted" },
        { 506, null, Kind.Fail, "platform_rejected" },
        { 613, null, Kind.Wait, "platform_rate_limited" },
        { 613, 1996, Kind.Wait, "platform_rate_limited" },
        { 1609005, null, Kind.Fail, "media_fetch_failed" },
        { 80000, null, Kind.Wait, "platform_rate_limited" },
        { 80001, null, Kind.Wait, "platform_rate_limited" },
        { 80002, null, Kind.Wait, "platform_rate_limited" },
        { 80004, null, Kind.Wait, "platform_rate_limited" },
        { 80014, null, Kind.Wait, "platform_rate_limited" },
        { 9004, null, Kind.Fail, "media_fetch_failed" },
        { 324, null, Kind.Fail, "media_unsupported_format" },
        // Instagram's publishing errors (code/subcode pairs).
        { -2, 2207003, Kind.Retry, "media_fetch_failed" },
        { -2, 2207020, Kind.Retry, "instagram_container_expired" },
        { -1, 2207001, Kind.Retry, "platform_unavailable" },
        { -1, 2207032, Kind.Retry, "platform_unavailable" },
        { -1, 2207053, Kind.Retry, "platform_unavailable" },
        { 1, 2207057, Kind.Fail, "instagram_thumb_offset_invalid" },
        { 110, 2207018, Kind.Fail, "instagram_user_invalid" },
        { 4, 2207051, Kind.Fail, "platform_account_restricted" },
        { 9, 2207042, Kind.Wait, "instagram_publishing_limit_reached" },
        { 24, 2207006, Kind.Fail, "platform_rejected" },
        { 24, 2207008, Kind.Retry, "instagram_container_expired" },
        { 25, 2207050, Kind.Fail, "platform_account_restricted" },
        { 100, 2207023, Kind.Fail, "media_unsupported_format" },
        { 100, 2207028, Kind.Fail, "platform_rejected" },
        { 100, 2207035, Kind.Fail, "platform_rejected" },
        { 100, 2207036, Kind.Fail, "platform_rejected" },
        { 100, 2207037, Kind.Fail, "platform_rejected" },
        { 100, 2207040, Kind.Fail, "caption_invalid" },
        { 352, 2207026, Kind.Fail, "media_unsupported_format" },
        { 9004, 2207052, Kind.Fail, "media_fetch_failed" },
        { 36000, 2207004, Kind.Fail, "media_too_large" },
        { 36001, 2207005, Kind.Fail, "media_unsupported_format" },
        { 36003, 2207009, Kind.Fail, "media_aspect_ratio_unsupported" },
        { 36004, 2207010, Kind.Fail, "caption_invalid" },
        // Not in the tables: kept raw, retryable.
        { 12345, null, Kind.Fail, "platform_error_unknown" },
    };

    public static TheoryData<int, string, Kind, string> YouTubeErrors => new()
    {
        { 400, "invalidTitle", Kind.Fail, "platform_rejected" },
        { 400, "invalidDescription", Kind.Fail, "platform_rejected" },
        { 400, "invalidTags", Kind.Fail, "platform_rejected" },
        { 400, "invalidCategoryId", Kind.Fail, "platform_rejected" },
        { 400, "invalidVideoMetadata", Kind.Fail, "platform_rejected" },
        { 400, "invalidPublishAt", Kind.Fail, "platform_rejected" },
        { 400, "invalidFilename", Kind.Fail, "platform_rejected" },
        { 400, "invalidRecordingDetails", Kind.Fail, "platform_rejected" },
        { 400, "invalidVideoGameRating", Kind.Fail, "platform_rejected" },
        { 400, "defaultLanguageNotSet", Kind.Fail, "platform_rejected" },
        { 400, "mediaBodyRequired", Kind.Fail, "platform_rejected" },
        { 400, "uploadLimitExceeded", Kind.Wait, "youtube_upload_limit_exceeded" },
        // authError: the access token is refreshed on the next attempt; a dead grant then fails with reauth_required.
        { 401, "authError", Kind.Retry, "platform_unavailable" },
        { 401, "authorizationRequired", Kind.Fail, "reauth_required" },
        { 401, "youtubeSignupRequired", Kind.Fail, "youtube_channel_required" },
        { 403, "forbidden", Kind.Fail, "insufficient_permissions" },
        { 403, "insufficientPermissions", Kind.Fail, "insufficient_permissions" },
        { 403, "forbiddenPrivacySetting", Kind.Fail, "platform_rejected" },
        { 403, "forbiddenLicenseSetting", Kind.Fail, "platform_rejected" },
        { 403, "quotaExceeded", Kind.Wait, "youtube_quota_exceeded" },
        { 403, "rateLimitExceeded", Kind.Wait, "platform_rate_limited" },
        { 403, "userRateLimitExceeded", Kind.Wait, "platform_rate_limited" },
        { 403, "channelClosed", Kind.Fail, "platform_account_restricted" },
        { 403, "channelSuspended", Kind.Fail, "platform_account_restricted" },
        { 403, "authenticatedUserAccountClosed", Kind.Fail, "platform_account_restricted" },
        { 403, "authenticatedUserAccountSuspended", Kind.Fail, "platform_account_restricted" },
        { 429, "uploadRateLimitExceeded", Kind.Wait, "platform_rate_limited" },
        { 429, "tooManyRequests", Kind.Wait, "platform_rate_limited" },
        { 500, "backendError", Kind.Retry, "platform_unavailable" },
        { 503, "backendError", Kind.Retry, "platform_unavailable" },
        { 400, "someNewReason", Kind.Fail, "platform_error_unknown" },
    };

    [Theory]
    [MemberData(nameof(MetaErrors))]
    public async Task A_meta_error_maps_to_its_catalog_entry(int code, int? subcode, Kind kind, string catalogCode)
    {
        var path = $"/graph/v24.0/mapping-{Guid.NewGuid():N}";
        await AddFaultAsync(new { kind = "error", platform = "meta", path_prefix = path, code, subcode });

        using var response = await fixture.Sandbox.GetAsync(path + "?access_token=unused");
        var error = MetaGraphClient.ParseError(response.StatusCode, await response.Content.ReadAsStringAsync());

        Assert.Equal(code, error.Code);
        Assert.Equal(subcode, error.Subcode);
        Assert.False(string.IsNullOrEmpty(error.FbtraceId));
        var jobError = AssertOutcome(PlatformErrorClassifier.Classify(error), kind, catalogCode);
        if (jobError is not null)
        {
            Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), jobError.Platform?.Code);
            Assert.Equal(error.FbtraceId, jobError.Platform?.TraceId);
        }
    }

    [Theory]
    [MemberData(nameof(YouTubeErrors))]
    public async Task A_youtube_error_maps_to_its_catalog_entry(int status, string reason, Kind kind, string catalogCode)
    {
        var path = $"/youtube/youtube/v3/mapping-{Guid.NewGuid():N}";
        await AddFaultAsync(new { kind = "error", platform = "youtube", path_prefix = path, reason, status });

        using var response = await fixture.Sandbox.GetAsync(path);
        var error = await GoogleOAuthClient.ApiErrorAsync(response, CancellationToken.None);

        Assert.Equal(status, (int)error.Status);
        Assert.Equal(reason, error.Reason);
        var jobError = AssertOutcome(PlatformErrorClassifier.ClassifyYouTube(error.Status, error.Reason, error.Message, DateTimeOffset.UtcNow), kind, catalogCode);
        if (jobError is not null)
            Assert.Equal(reason, jobError.Platform?.Subcode);
    }

    /// <summary>Checks the outcome's kind and code, and that the job error carries exactly the catalog entry's flags.</summary>
    private static JobError? AssertOutcome(StepOutcome outcome, Kind kind, string catalogCode)
    {
        var entry = ErrorCatalog.All.Single(e => e.Code == catalogCode);
        var (actualKind, error) = outcome switch
        {
            StepOutcome.Wait w => (Kind.Wait, w.Reason),
            StepOutcome.Retry r => (Kind.Retry, r.Error),
            StepOutcome.Failed f => (Kind.Fail, f.Error),
            _ => throw new Xunit.Sdk.XunitException($"Unexpected outcome {outcome}"),
        };
        Assert.Equal(kind, actualKind);
        Assert.NotNull(error);
        Assert.Equal(catalogCode, error.Code);
        Assert.Equal(entry.Retryable, error.Retryable);
        Assert.Equal(entry.ReauthRequired, error.ReauthRequired);
        Assert.Equal(kind == Kind.Wait ? JobStages.WaitingRateLimit : null, (outcome as StepOutcome.Wait)?.Stage);
        return error;
    }

    private async Task AddFaultAsync(object rule)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/faults", rule);
        response.EnsureSuccessStatusCode();
    }
}
