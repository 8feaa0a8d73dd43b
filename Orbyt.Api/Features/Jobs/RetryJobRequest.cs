using FastEndpoints;
using FluentValidation;
using Orbyt.Core.Errors;

namespace Orbyt.Api.Features.Jobs;

public sealed class RetryJobRequest
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    /// <summary>
    /// Optional: a fresh URL of the same file (same scheme, host and path; the query — a signed URL's token — may
    /// differ), for a job that failed with media_url_expired, media_not_ready or media_fetch_failed. It is checked as
    /// at creation (allowed host, expiry, probe against the job's platform) and replaces the publication's media URL,
    /// for every job of the publication that has not finished.
    /// </summary>
    public string? MediaUrl { get; set; }

    /// <summary>The job errors a fresh media URL can cure (the retry answers none of them itself).</summary>
    public static readonly string[] CurableByFreshMediaUrl = [ErrorCatalog.MediaUrlExpired.Code, ErrorCatalog.MediaNotReady.Code, ErrorCatalog.MediaFetchFailed.Code];
}

public sealed class RetryJobValidator : Validator<RetryJobRequest>
{
    public RetryJobValidator()
    {
        RuleFor(x => x.UserId).NotEmpty().WithMessage("user_id is required.").OverridePropertyName("user_id");
        RuleFor(x => x.MediaUrl).NotEmpty().MaximumLength(4096).When(x => x.MediaUrl is not null).OverridePropertyName("media_url");
    }
}
