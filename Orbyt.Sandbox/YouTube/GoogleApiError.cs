using Orbyt.Sandbox.State;

namespace Orbyt.Sandbox.YouTube;

/// <summary>Google's JSON error envelope (<c>error.code</c>, <c>message</c>, <c>errors[].reason</c>).</summary>
internal sealed record GoogleApiError(int Code, string Reason, string Message, string Domain = "global", string? Location = null, string? LocationType = null)
{
    public IResult ToResult() => Results.Json(new
    {
        error = new
        {
            code = Code,
            message = Message,
            errors = new[] { new { message = Message, domain = Domain, reason = Reason, location = Location, locationType = LocationType } },
            status = StatusName(Code),
        },
    }, SandboxJson.Verbatim, statusCode: Code);

    public static GoogleApiError AuthError() => new(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        Location: "Authorization",
        LocationType: "header");

    public static GoogleApiError Required() => new(
        401,
        "required",
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        Location: "Authorization",
        LocationType: "header");

    public static GoogleApiError InsufficientPermissions() => new(403, "insufficientPermissions", "Request had insufficient authentication scopes.");

    public static GoogleApiError QuotaExceeded() => new(
        403, "quotaExceeded", "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>.", "youtube.quota");

    public static GoogleApiError UploadLimitExceeded() => new(400, "uploadLimitExceeded", "The user has exceeded the number of videos they may upload.", "youtube.video");

    public static GoogleApiError BackendError(int status) => new(status, "backendError", "Backend Error");

    /// <summary>A scripted rate-limit style error for a Google reason.</summary>
    public static GoogleApiError ForReason(string reason, int? status) => reason switch
    {
        "quotaExceeded" => QuotaExceeded() with { Code = status ?? 403 },
        "uploadLimitExceeded" => UploadLimitExceeded() with { Code = status ?? 400 },
        "uploadRateLimitExceeded" => new(status ?? 429, reason, "The channel has uploaded too many videos recently.", "youtube.video"),
        "tooManyRequests" => new(status ?? 429, reason, "Too many requests.", "youtube.video"),
        "userRateLimitExceeded" => new(status ?? 403, reason, "User Rate Limit Exceeded", "usageLimits"),
        _ => new(status ?? 403, reason, "Rate Limit Exceeded", "usageLimits"),
    };

    private static string StatusName(int code) => code switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    };
}
