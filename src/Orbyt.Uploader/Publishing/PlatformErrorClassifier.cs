using System.Net;
using System.Text.RegularExpressions;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Platforms;

namespace Orbyt.Uploader.Publishing;

/// <summary>Turns a platform error into a step outcome with its catalog code (the full mapping table grows with issue 6).</summary>
public static partial class PlatformErrorClassifier
{
    public static readonly TimeSpan RateLimitWait = TimeSpan.FromMinutes(5);

    public static StepOutcome Classify(MetaApiException e)
    {
        var platform = JobError.Describe(e);
        if (e.IsInvalidToken) return StepOutcome.Fail(ErrorCatalog.ReauthRequired, platform);
        if (e.IsPermissionError) return StepOutcome.Fail(ErrorCatalog.InsufficientPermissions, platform);
        switch (e.Code, e.Subcode)
        {
            case (9, 2207042):
                return new StepOutcome.Wait(TimeSpan.FromHours(1), JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.InstagramPublishingLimitReached, platform));
            case (4 or 17 or 32 or 613 or 341, _) or (>= 80000 and <= 80014, _):
                return new StepOutcome.Wait(RateLimitWait, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.PlatformRateLimited, platform));
            case (9004, _) or (_, 2207052):
                return StepOutcome.Fail(ErrorCatalog.MediaFetchFailed, platform);
            case (36001, _) or (352, _) or (_, 2207005) or (_, 2207026) or (_, 2207023):
                return StepOutcome.Fail(ErrorCatalog.MediaUnsupportedFormat, platform);
            case (36000, _) or (_, 2207004):
                return StepOutcome.Fail(ErrorCatalog.MediaTooLarge, platform);
            case (36004, _) or (_, 2207010) or (100, 2207040):
                return StepOutcome.Fail(ErrorCatalog.CaptionInvalid, platform);
            case (9007, 2207027):
                return new StepOutcome.Wait(TimeSpan.FromSeconds(10), JobStages.PlatformProcessing);
            case (506, _) or (368, _) or (4, 2207051):
                return StepOutcome.Fail(ErrorCatalog.PlatformRejected, platform);
        }
        if (e.IsTransient) return new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform));
        return StepOutcome.Fail(ErrorCatalog.PlatformErrorUnknown, platform);
    }

    /// <summary>YouTube errors from Google.Apis (upload) and from our own JSON calls.</summary>
    public static StepOutcome ClassifyYouTube(HttpStatusCode status, string? reason, string message, DateTimeOffset now)
    {
        var platform = new PlatformErrorDetail(((int)status).ToString(), reason, message, null);
        return reason switch
        {
            "quotaExceeded" => new StepOutcome.Wait(UntilPacificMidnight(now), JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.YouTubeQuotaExceeded, platform)),
            "uploadLimitExceeded" => new StepOutcome.Wait(TimeSpan.FromHours(24), JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.YouTubeUploadLimitExceeded, platform)),
            "rateLimitExceeded" or "userRateLimitExceeded" or "uploadRateLimitExceeded" or "tooManyRequests"
                => new StepOutcome.Wait(RateLimitWait, JobStages.WaitingRateLimit, JobError.From(ErrorCatalog.PlatformRateLimited, platform)),
            "insufficientPermissions" => StepOutcome.Fail(ErrorCatalog.InsufficientPermissions, platform),
            "youtubeSignupRequired" => StepOutcome.Fail(ErrorCatalog.YouTubeChannelRequired, platform),
            "invalidTitle" or "invalidDescription" or "invalidTags" or "invalidCategoryId" or "invalidVideoMetadata"
                => StepOutcome.Fail(ErrorCatalog.PlatformRejected, platform),
            _ when status == HttpStatusCode.Unauthorized => new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform), TimeSpan.FromSeconds(1)),
            _ when (int)status >= 500 => new StepOutcome.Retry(JobError.From(ErrorCatalog.PlatformUnavailable, platform)),
            _ => StepOutcome.Fail(ErrorCatalog.PlatformErrorUnknown, platform),
        };
    }

    /// <summary>YouTube quotas reset at midnight America/Los_Angeles.</summary>
    public static TimeSpan UntilPacificMidnight(DateTimeOffset now)
    {
        var pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var local = TimeZoneInfo.ConvertTime(now, pacific);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), pacific.GetUtcOffset(local.Date.AddDays(1)));
        return midnight - now + TimeSpan.FromMinutes(1);
    }

    /// <summary>The 2207xxx subcode inside an Instagram container's status text, when present.</summary>
    public static string? ContainerSubcode(string? status) => status is null ? null : Subcode().Match(status) is { Success: true } m ? m.Value : null;

    [GeneratedRegex(@"22070\d\d")]
    private static partial Regex Subcode();
}
