using System.Net;

namespace Orbyt.Core.Platforms;

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
