namespace Orbyt.Api.Features.Publications;

/// <summary>
/// The dry run's answer. <c>ok</c>: create would accept this body now. <c>errors</c>: what breaks the whole request
/// (callback_url, the media URL); each target lists its own errors and warnings, and a target is <c>ok</c> when
/// neither it nor the request has an error.
/// </summary>
public sealed record ValidationResponse(bool Ok, IReadOnlyList<ValidationError> Errors, IReadOnlyList<TargetValidation> Targets, MediaFindings Media)
{
    public static ValidationResponse From(PublicationVerdict verdict)
    {
        var requestOk = verdict.Errors.Count == 0;
        var targets = verdict.Targets.Select(t => new TargetValidation(
            t.ConnectionId, t.Platform, requestOk && t.Errors.Count == 0,
            t.Errors.Select(ValidationError.From).ToArray(),
            t.Warnings.Select(w => new ValidationWarning(w.Code, w.Message)).ToArray())).ToArray();
        return new ValidationResponse(requestOk && targets.All(t => t.Ok), verdict.Errors.Select(ValidationError.From).ToArray(), targets,
            MediaFindings.From(verdict.Media));
    }
}

/// <summary>A catalog error as create would answer it (<c>status</c> is the HTTP status create would use).</summary>
public sealed record ValidationError(string Code, int Status, string Title, string Detail, bool Retryable, bool ReauthRequired)
{
    public static ValidationError From(RuleViolation v) => new(v.Error.Code, v.Error.Status, v.Error.Title, v.Detail, v.Error.Retryable, v.Error.ReauthRequired);
}

/// <summary>
/// A warning: caption_near_limit, title_near_limit, media_url_expires_soon, media_will_be_cropped, media_not_ready,
/// media_not_probed.
/// </summary>
public sealed record ValidationWarning(string Code, string Message);

/// <summary>One target: its platform (null for a connection that is not this user's), ok, errors and warnings.</summary>
public sealed record TargetValidation(Guid ConnectionId, string? Platform, bool Ok, IReadOnlyList<ValidationError> Errors, IReadOnlyList<ValidationWarning> Warnings);
