using Orbyt.Core.Errors;
using static Orbyt.Core.Errors.ErrorCatalog;

namespace Orbyt.Api.OpenApi;

/// <summary>
/// Which catalog codes each operation can answer with, beyond the ones every operation shares (see <see cref="For"/>).
/// The OpenAPI document lists them per status (a table, <c>x-problem-codes</c> and an example each).
/// OpenApiDocumentTests fails when an endpoint's source names a catalog entry that is missing here.
/// </summary>
public static class OperationProblems
{
    private static readonly ErrorDefinition[] Body = [ValidationFailed, MalformedRequest, UnsupportedMediaType, RequestTooLarge];
    private static readonly ErrorDefinition[] Query = [ValidationFailed];

    private static readonly Dictionary<string, ErrorDefinition[]> Specific = new(StringComparer.Ordinal)
    {
        ["GET /v1/client"] = [],
        ["PATCH /v1/client"] = [.. Body],
        ["POST /v1/clients"] = [.. Body, Forbidden],
        ["GET /v1/api-keys"] = [],
        ["POST /v1/api-keys"] = [.. Body],
        ["DELETE /v1/api-keys/{id}"] = [.. Query, NotFound],
        ["POST /v1/connections/{platform}/authorize"] = [.. Body, UnsupportedPlatform, LoginNotAvailable, ReturnUrlNotAllowed],
        // Failures after a valid state go back to the return URL as error_code (see the operation's description).
        ["GET /v1/oauth/{platform}/callback"] = [UnsupportedPlatform, OAuthStateInvalid],
        ["GET /v1/connections"] = [.. Query],
        ["GET /v1/connections/{id}"] = [.. Query, NotFound],
        // rate_limited (429) also when the health check's own limit refuses a live check (per connection, per client).
        ["GET /v1/connections/{id}/health"] = [.. Query, NotFound],
        ["DELETE /v1/connections/{id}"] = [.. Query, NotFound],
        ["POST /v1/publications"] =
        [
            .. Body, NotFound, ConnectionNotActive, ConnectionRevoked,
            MediaUrlInvalid, MediaHostNotAllowed, MediaAddressForbidden, MediaTypeNotSupportedByPlatform, MediaUnsupportedFormat,
            MediaFetchFailed, MediaTooLarge, MediaDurationOutOfRange, MediaAspectRatioUnsupported, MediaResolutionUnsupported,
            MediaUrlExpired, MediaUrlExpiresTooSoon,
            CaptionInvalid, TitleRequired, CallbackUrlInvalid,
            FormatNotSupported, FormatMediaMismatch, MediaCountInvalid, AltTextNotSupported, MediaRequired, LinkInvalid,
            ThumbnailInvalid, YouTubePublishAtRequiresPrivate, YouTubePlaylistScopeMissing,
            FirstCommentInvalid, FirstCommentNotSupported, FirstCommentPermissionMissing,
            InstagramOptionNotSupported, InstagramCollaboratorsInvalid, InstagramUserTagsInvalid, InstagramThumbOffsetInvalid,
            InstagramCoverInvalid, InstagramLocationInvalid,
            IdempotencyKeyInvalid, IdempotencyKeyReused, IdempotencyKeyInUse,
        ],
        // The dry run answers the rules' codes inside its 200 body; only a body create would refuse before its rules is a problem.
        // …and the Instagram options' shapes, which the request schema refuses with their own codes.
        ["POST /v1/publications/validate"] = [.. Body, InstagramCollaboratorsInvalid, InstagramUserTagsInvalid, InstagramLocationInvalid],
        ["GET /v1/publications"] = [.. Query],
        ["GET /v1/publications/{id}"] = [.. Query, NotFound],
        ["GET /v1/jobs"] = [.. Query],
        ["GET /v1/jobs/{id}"] = [.. Query, NotFound],
        ["POST /v1/jobs/{id}/retry"] =
        [
            .. Body, NotFound, JobNotRetryable, ConnectionNotActive,
            MediaUrlInvalid, MediaHostNotAllowed, MediaAddressForbidden, MediaUnsupportedFormat, MediaFetchFailed, MediaTooLarge,
            MediaDurationOutOfRange, MediaAspectRatioUnsupported, MediaResolutionUnsupported, MediaUrlExpired, MediaUrlExpiresTooSoon,
        ],
        ["POST /v1/jobs/{id}/cancel"] = [.. Body, NotFound, JobNotCancellable],
        ["POST /v1/jobs/{id}/reschedule"] = [.. Body, NotFound, JobNotReschedulable, MediaUrlExpired, MediaUrlExpiresTooSoon],
        ["GET /v1/errors"] = [],
        ["GET /v1/errors/{code}"] = [NotFound],
        ["GET /v1/webhooks"] = [],
        ["POST /v1/webhooks"] = [.. Body, WebhookUrlInvalid, WebhookAddressForbidden],
        ["GET /v1/webhooks/{id}"] = [.. Query, NotFound],
        ["PATCH /v1/webhooks/{id}"] = [.. Body, NotFound, WebhookUrlInvalid, WebhookAddressForbidden],
        ["DELETE /v1/webhooks/{id}"] = [.. Query, NotFound],
        ["POST /v1/webhooks/{id}/rotate-secret"] = [.. Query, NotFound],
        ["POST /v1/webhooks/{id}/test"] = [.. Query, NotFound, WebhookEndpointDisabled],
        ["GET /v1/webhooks/{id}/deliveries"] = [.. Query, NotFound],
        ["POST /v1/webhooks/{id}/deliveries/{delivery_id}/resend"] = [.. Query, NotFound, Conflict, WebhookEndpointDisabled],
    };

    /// <summary>Every operation the table knows, as <c>METHOD /path</c>.</summary>
    public static IReadOnlyCollection<string> Operations => Specific.Keys;

    /// <summary>
    /// The codes of one operation: its own, the API-key and rate-limit codes when it needs a key, internal_error, and
    /// service_unavailable (the database unreachable).
    /// Null when the operation is not in the table (the document then says nothing beyond NSwag's responses).
    /// </summary>
    public static IReadOnlyList<ErrorDefinition>? For(string method, string path, bool authenticated)
    {
        if (!Specific.TryGetValue($"{method.ToUpperInvariant()} {path}", out var own))
            return null;
        IEnumerable<ErrorDefinition> all = own;
        if (authenticated)
            all = all.Concat([ApiKeyMissing, ApiKeyInvalid, ApiKeyRevoked, RateLimited]);
        return all.Append(InternalError).Append(ServiceUnavailable).Distinct().OrderBy(e => e.Status).ToArray();
    }
}
