using Orbyt.Core.RateLimits;
using System.Net;
using System.Text.RegularExpressions;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;
using Orbyt.Uploader.RateLimits;

namespace Orbyt.Uploader.Publishing;

/// <summary>
/// Turns a platform error into a step outcome with its catalog code: every Meta code/subcode and YouTube reason the
/// platforms document for publishing calls (tests/Orbyt.IntegrationTests/Publishing/PlatformErrorMappingTests.cs checks each against the
/// sandbox's envelopes; docs/rate-limits.md has the table).
/// </summary>
public static partial class PlatformErrorClassifier
{
    public static readonly TimeSpan RateLimitWait = TimeSpan.FromMinutes(5);

    public static StepOutcome Classify(MetaApiException e)
    {
        var platform = JobError.Describe(e);
        if (e.IsInvalidToken) return StepOutcome.Fail(ErrorCatalog.ReauthRequired, platform);
        if (e.IsPermissionError) return StepOutcome.Fail(ErrorCatalog.InsufficientPermissions, platform);
        // Specific code/subcode pairs first, then bare codes: a subcode narrows what its code means.
        switch (e.Code, e.Subcode)
        {
            case (9007, _):
                return new StepOutcome.Wait(TimeSpan.FromSeconds(10), JobStages.PlatformProcessing);
            case (9, 2207042):
                return new StepOutcome.Wait(TimeSpan.FromHours(1), JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.InstagramPublishingLimitReached, platform));
            // The Instagram options (reference §13.1, §13.4) Meta found wrong: the option's own code, not a generic rejection.
            case (1, 2207057):
                return StepOutcome.Fail(ErrorCatalog.InstagramThumbOffsetInvalid, platform);
            case (110, 2207018):
                return StepOutcome.Fail(ErrorCatalog.InstagramUserInvalid, platform);
            case (100, _) when e.Message.Contains("INSTAGRAM_PLATFORM_API__INVALID_LOCATION_ID", StringComparison.Ordinal):
                return StepOutcome.Fail(ErrorCatalog.InstagramLocationInvalid, platform);
            case (506, _) or (24, 2207006) or (100, 2207028) or (100, 2207035 or 2207036 or 2207037) or (3, _):
                return StepOutcome.Fail(ErrorCatalog.PlatformRejected, platform);
            // 4/2207051 is one Instagram account restricted as possible spam, not a quota: this job fails and says so,
            // and the rate-limit handler pauses that account (only) for hours.
            case (368, _) or (25, 2207050) or (4, 2207051):
                return StepOutcome.Fail(ErrorCatalog.PlatformAccountRestricted, platform);
            case (-2, 2207003):
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.MediaFetchFailed, platform));
            case (-2, 2207020) or (24, 2207008):
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.InstagramContainerExpired, platform));
            case (-1, _):
                return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform));
            case (4 or 17 or 32 or 613 or 341, _) or (>= 80000 and <= 80014, _):
                return new StepOutcome.Wait(RateLimitWait, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.PlatformRateLimited, platform));
            case (9004, _) or (_, 2207052) or (1609005, _):
                return StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, platform);
            case (36003, _) or (_, 2207009):
                return StepOutcome.Fail(ErrorCatalog.MediaAspectRatioUnsupported, platform);
            // 324 reaches here only from a photo we uploaded ourselves (a URL's 324 is handed over again, then pushed):
            // Meta found the file itself invalid.
            case (36001, _) or (352, _) or (324, _) or (_, 2207005) or (_, 2207026) or (_, 2207023):
                return StepOutcome.Fail(ErrorCatalog.MediaUnsupportedFormat, platform);
            case (36000, _) or (_, 2207004):
                return StepOutcome.Fail(ErrorCatalog.MediaTooLarge, platform);
            case (36004, _) or (_, 2207010) or (_, 2207040):
                return StepOutcome.Fail(ErrorCatalog.CaptionInvalid, platform);
            case (100, _):
                return StepOutcome.Fail(ErrorCatalog.PlatformRejected, platform);
        }
        if (e.IsTransient) return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform));
        return StepOutcome.Fail(ErrorCatalog.PlatformErrorUnknown, platform);
    }

    /// <summary>YouTube errors, from the upload and from the JSON calls alike.</summary>
    public static StepOutcome ClassifyYouTube(HttpStatusCode status, string? reason, string message, DateTimeOffset now)
    {
        var platform = new PlatformErrorDetail(((int)status).ToString(), reason, message, null);
        return reason switch
        {
            "quotaExceeded" => new StepOutcome.Wait(UntilPacificMidnight(now), JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.YouTubeQuotaExceeded, platform)),
            "uploadLimitExceeded" => new StepOutcome.Wait(TimeSpan.FromHours(24), JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.YouTubeUploadLimitExceeded, platform)),
            "rateLimitExceeded" or "userRateLimitExceeded" or "uploadRateLimitExceeded" or "tooManyRequests"
                => new StepOutcome.Wait(RateLimitWait, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.PlatformRateLimited, platform)),
            "insufficientPermissions" or "forbidden" => StepOutcome.Fail(ErrorCatalog.InsufficientPermissions, platform),
            "authorizationRequired" => StepOutcome.Fail(ErrorCatalog.ReauthRequired, platform),
            "youtubeSignupRequired" => StepOutcome.Fail(ErrorCatalog.YouTubeChannelRequired, platform),
            "channelClosed" or "channelSuspended" or "authenticatedUserAccountClosed" or "authenticatedUserAccountSuspended"
                => StepOutcome.Fail(ErrorCatalog.PlatformAccountRestricted, platform),
            "invalidTitle" or "invalidDescription" or "invalidTags" or "invalidCategoryId" or "invalidVideoMetadata" or "invalidPublishAt"
                or "invalidFilename" or "invalidRecordingDetails" or "invalidVideoGameRating" or "defaultLanguageNotSet" or "mediaBodyRequired"
                or "forbiddenPrivacySetting" or "forbiddenLicenseSetting"
                => StepOutcome.Fail(ErrorCatalog.PlatformRejected, platform),
            _ when status == HttpStatusCode.Unauthorized => new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform), TimeSpan.FromSeconds(1)),
            _ when (int)status >= 500 => new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform)),
            _ => StepOutcome.Fail(ErrorCatalog.PlatformErrorUnknown, platform),
        };
    }

    /// <summary>YouTube quotas reset at midnight America/Los_Angeles (on Google's clock); a few seconds' margin after it.</summary>
    public static TimeSpan UntilPacificMidnight(DateTimeOffset platformNow) =>
        PlatformClock.NextPacificMidnight(platformNow) - platformNow + TimeSpan.FromSeconds(5);

    /// <summary>The 2207xxx subcode inside an Instagram container's status text, when present.</summary>
    public static string? ContainerSubcode(string? status) => status is null ? null : Subcode().Match(status) is { Success: true } m ? m.Value : null;

    [GeneratedRegex(@"22070\d\d")]
    private static partial Regex Subcode();
}
