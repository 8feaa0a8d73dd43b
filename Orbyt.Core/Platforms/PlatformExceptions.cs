using System.Net;

namespace Orbyt.Core.Platforms;

/// <summary>A platform answered with an error envelope; the raw parts are kept for job errors and the catalog mapping.</summary>
public abstract class PlatformException(string platform, HttpStatusCode status, string message) : Exception(message)
{
    public string Platform { get; } = platform;
    public HttpStatusCode Status { get; } = status;
    /// <summary>A transient failure (5xx, network, Meta is_transient): retrying may succeed.</summary>
    public abstract bool IsTransient { get; }
}

/// <summary>A Graph API error: <c>{"error":{"message","type","code","error_subcode","fbtrace_id","is_transient"}}</c>.</summary>
public sealed class MetaApiException(HttpStatusCode status, int code, int? subcode, string message, string? type, string? fbtraceId, bool? isTransient, string? userMessage)
    : PlatformException("meta", status, message)
{
    public int Code { get; } = code;
    public int? Subcode { get; } = subcode;
    public string? Type { get; } = type;
    public string? FbtraceId { get; } = fbtraceId;
    public string? UserMessage { get; } = userMessage;
    public bool? MetaIsTransient { get; } = isTransient;

    public override bool IsTransient => MetaIsTransient == true || (int)Status >= 500 || Code is 1 or 2;

    /// <summary>190/102 (any subcode): the stored token is unusable and the user must reconnect.</summary>
    public bool IsInvalidToken => Code is 190 or 102;

    /// <summary>10 and 200–299: a permission was not granted or was removed.</summary>
    public bool IsPermissionError => Code is 10 or (>= 200 and <= 299);
}

/// <summary>An OAuth token-endpoint error (RFC 6749): <c>{"error":"invalid_grant","error_description":"…"}</c>.</summary>
public sealed class GoogleOAuthException(HttpStatusCode status, string error, string? description)
    : PlatformException("google", status, $"{error}: {description}")
{
    public string Error { get; } = error;
    public string? Description { get; } = description;
    public override bool IsTransient => (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests;
    /// <summary>The grant is dead (revoked, expired, testing-mode 7-day expiry): never retry, ask for re-consent.</summary>
    public bool IsInvalidGrant => Error == "invalid_grant";
}

/// <summary>A YouTube Data API error (Orbyt's own; not Google.Apis' <c>Google.GoogleApiException</c>): <c>{"error":{"code","message","errors":[{"reason","domain"}],"status"}}</c>.</summary>
public sealed class YouTubeApiException(HttpStatusCode status, string? reason, string? domain, string message, string? googleStatus)
    : PlatformException("google", status, message)
{
    public string? Reason { get; } = reason;
    public string? Domain { get; } = domain;
    public string? GoogleStatus { get; } = googleStatus;
    public override bool IsTransient => (int)Status >= 500 || Reason is "rateLimitExceeded" or "userRateLimitExceeded" or "backendError";
}
