using System.Net;
using Orbyt.Core.Platforms;

namespace Orbyt.Core.Credentials;

/// <summary>Why a refresh or check failed. <see cref="Reason"/> is a stable snake_case word (connection reauth_reason, metric tag); never a token.</summary>
public sealed record RefreshFailure(RefreshFailureClass Class, string Reason, string Detail)
{
    /// <summary>Meta subcodes of 190 (and 102) that mean "the stored token is unusable"; any other subcode reads as token_invalid.</summary>
    public static readonly IReadOnlyDictionary<int, string> MetaInvalidatingSubcodes = new Dictionary<int, string>
    {
        [458] = "app_not_installed",
        [459] = "user_checkpointed",
        [460] = "password_changed",
        [463] = "token_expired",
        [464] = "unconfirmed_user",
        [467] = "token_invalidated",
        [492] = "page_role_removed",
    };

    /// <summary>Graph codes that are throttling or temporary outages.</summary>
    public static bool IsMetaTransientCode(int code) =>
        code is 1 or 2 or 4 or 17 or 32 or 341 or 613 || code is >= 80000 and <= 80014;

    /// <summary>A Graph error (from an HTTP error envelope, or the <c>error</c> object debug_token puts inside <c>data</c>).</summary>
    public static RefreshFailure FromMeta(int code, int? subcode, bool? isTransient, HttpStatusCode? status)
    {
        var detail = subcode is null ? $"meta {code}" : $"meta {code}/{subcode}";
        if (code is 190 or 102)
            return new(RefreshFailureClass.Definitive,
                subcode is { } s && MetaInvalidatingSubcodes.TryGetValue(s, out var reason) ? reason : "token_invalid", detail);
        if (code is 10 or (>= 200 and <= 299))
            return new(RefreshFailureClass.Definitive, "permission_revoked", detail);
        if (isTransient == true || IsMetaTransientCode(code) || status is { } st && ((int)st >= 500 || st == HttpStatusCode.TooManyRequests))
            return new(RefreshFailureClass.Transient, code is 1 or 2 || status is { } s5 && (int)s5 >= 500 ? "platform_unavailable" : "rate_limited", detail);
        return new(RefreshFailureClass.Unknown, "meta_error", detail);
    }

    /// <summary>
    /// Classifies what a platform call threw. <paramref name="tokenUnderTest"/> is false for calls where a 190 would
    /// be about our app token rather than the user's (debug_token's own <c>access_token</c>): then it is not the user's fault.
    /// </summary>
    public static RefreshFailure? Classify(Exception exception, bool tokenUnderTest = true)
    {
        switch (exception)
        {
            case GoogleOAuthException g when g.IsInvalidGrant:
                return new(RefreshFailureClass.Definitive, "invalid_grant", "google invalid_grant");
            case GoogleOAuthException g when g.IsTransient:
                return new(RefreshFailureClass.Transient, g.Status == HttpStatusCode.TooManyRequests ? "rate_limited" : "platform_unavailable", $"google HTTP {(int)g.Status}");
            case GoogleOAuthException g:
                // invalid_client, unauthorized_client…: our OAuth client's configuration, not the user's grant.
                return new(RefreshFailureClass.Unknown, "google_" + g.Error, $"google {g.Error} HTTP {(int)g.Status}");
            case MetaApiException m:
                var failure = FromMeta(m.Code, m.Subcode, m.MetaIsTransient, m.Status);
                return failure.Class == RefreshFailureClass.Definitive && !tokenUnderTest
                    ? failure with { Class = RefreshFailureClass.Unknown, Reason = "app_token_rejected" }
                    : failure;
            case PlatformException p:
                return new(p.IsTransient ? RefreshFailureClass.Transient : RefreshFailureClass.Unknown,
                    p.IsTransient ? "platform_unavailable" : p.Platform + "_error", $"{p.Platform} HTTP {(int)p.Status}");
            case HttpRequestException h:
                return new(RefreshFailureClass.Transient, "network", h.StatusCode is { } code ? $"HTTP {(int)code}" : "network error");
            case TimeoutException or TaskCanceledException:
                return new(RefreshFailureClass.Transient, "timeout", "timeout");
            case Polly.Timeout.TimeoutRejectedException:
                return new(RefreshFailureClass.Transient, "timeout", "timeout");
            case Polly.CircuitBreaker.BrokenCircuitException:
                return new(RefreshFailureClass.Transient, "circuit_open", "circuit open");
            case System.Text.Json.JsonException:
                return new(RefreshFailureClass.Unknown, "malformed_response", "malformed response");
            default:
                return null;
        }
    }
}
