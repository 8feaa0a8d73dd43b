using System.Net;

namespace Orbyt.Core.Platforms;

/// <summary>A YouTube Data API error (Orbyt's own; not Google.Apis' <c>Google.GoogleApiException</c>): <c>{"error":{"code","message","errors":[{"reason","domain"}],"status"}}</c>.</summary>
public sealed class YouTubeApiException(HttpStatusCode status, string? reason, string? domain, string message, string? googleStatus)
    : PlatformException("google", status, message)
{
    public string? Reason { get; } = reason;
    public string? Domain { get; } = domain;
    public string? GoogleStatus { get; } = googleStatus;
    public override bool IsTransient => (int)Status >= 500 || Reason is "rateLimitExceeded" or "userRateLimitExceeded" or "backendError";
}
