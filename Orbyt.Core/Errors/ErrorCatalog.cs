using System.Collections.Frozen;

namespace Orbyt.Core.Errors;

/// <summary>
/// The one catalog of error codes. The API's problem documents, job errors, webhook payloads, <c>GET /v1/errors</c>
/// and docs/errors.md are all produced from this list. Codes are stable: add, never rename.
/// </summary>
public static class ErrorCatalog
{
    // Authentication and authorization
    public static readonly ErrorDefinition ApiKeyMissing = new("api_key_missing", 401, "API key missing", false, false,
        "This request is not authenticated.", "Send your API key in the X-Api-Key header.", "auth");
    public static readonly ErrorDefinition ApiKeyInvalid = new("api_key_invalid", 401, "API key invalid", false, false,
        "This request is not authenticated.", "The X-Api-Key header does not match an active key. Keys are shown once at creation; create a new one if it was lost.", "auth");
    public static readonly ErrorDefinition ApiKeyRevoked = new("api_key_revoked", 401, "API key revoked", false, false,
        "This request is not authenticated.", "The API key was revoked. Use another active key.", "auth");
    public static readonly ErrorDefinition Forbidden = new("forbidden", 403, "Forbidden", false, false,
        "This action is not allowed.", "The API key is valid but may not perform this action (e.g. client administration needs an admin key).", "auth");
    public static readonly ErrorDefinition RateLimited = new("rate_limited", 429, "Too many requests", true, false,
        "Too many requests right now. Please try again shortly.", "The API client exceeded its request rate, or connection health's limit on live checks (one per connection per 10 s, 60 per client per minute). Wait for the number of seconds in Retry-After.", "auth");

    // Generic request errors
    public static readonly ErrorDefinition ValidationFailed = new("validation_failed", 400, "Validation failed", false, false,
        "Some of the information sent is not valid.", "The request body or query failed validation; see `errors` for each field.", "validation");
    public static readonly ErrorDefinition MalformedRequest = new("malformed_request", 400, "Malformed request", false, false,
        "The request could not be read.", "The body is not valid JSON for this endpoint, or a parameter has the wrong type.", "validation");
    public static readonly ErrorDefinition NotFound = new("not_found", 404, "Not found", false, false,
        "The requested item was not found.", "No resource with this id is visible to this API client and user_id.", "validation");
    public static readonly ErrorDefinition RouteNotFound = new("route_not_found", 404, "Route not found", false, false,
        "The requested item was not found.", "No endpoint exists at this method and path. See /openapi/v1.json.", "validation");
    public static readonly ErrorDefinition MethodNotAllowed = new("method_not_allowed", 405, "Method not allowed", false, false,
        "This action is not available.", "The path exists but not with this HTTP method.", "validation");
    public static readonly ErrorDefinition UnsupportedMediaType = new("unsupported_media_type", 415, "Unsupported media type", false, false,
        "The request could not be read.", "Send JSON with Content-Type: application/json.", "validation");
    public static readonly ErrorDefinition RequestTimeout = new("request_timeout", 408, "Request timeout", true, false,
        "The request could not be read.", "The request's headers or body did not arrive in time; the connection was closed.", "validation");
    public static readonly ErrorDefinition LengthRequired = new("length_required", 411, "Length required", false, false,
        "The request could not be read.", "A request with a body must say its length (Content-Length) or be chunked (HTTP/1.1).", "validation");
    public static readonly ErrorDefinition RequestTooLarge = new("request_too_large", 413, "Request too large", false, false,
        "The request is too large.", "The request body exceeds the API's limit (30 MB); media is sent as a URL, never in the body.", "validation");
    public static readonly ErrorDefinition UriTooLong = new("uri_too_long", 414, "URI too long", false, false,
        "The request could not be read.", "The request line (method, path and query) exceeds 8 KB.", "validation");
    public static readonly ErrorDefinition RequestHeadersTooLarge = new("request_headers_too_large", 431, "Request headers too large", false, false,
        "The request could not be read.", "The request's headers exceed 32 KB in total.", "validation");
    public static readonly ErrorDefinition NotImplemented = new("not_implemented", 501, "Not implemented", false, false,
        "The request could not be read.", "The request uses an HTTP feature the API does not support (e.g. a Transfer-Encoding other than chunked).", "validation");
    public static readonly ErrorDefinition Conflict = new("conflict", 409, "Conflict", false, false,
        "This action conflicts with the current state.", "The resource is not in a state that allows this action.", "validation");

    // Idempotency
    public static readonly ErrorDefinition IdempotencyKeyReused = new("idempotency_key_reused", 422, "Idempotency key reused", false, false,
        "This request was already submitted with different content.", "The Idempotency-Key was first used with a different request body. Use a new key for a new request.", "idempotency");
    public static readonly ErrorDefinition IdempotencyKeyInUse = new("idempotency_key_in_use", 409, "Idempotency key in use", true, false,
        "This request is already being processed.", "Another request with the same Idempotency-Key is still in progress. Retry after it completes to get its response.", "idempotency");
    public static readonly ErrorDefinition IdempotencyKeyInvalid = new("idempotency_key_invalid", 400, "Idempotency key invalid", false, false,
        "The request could not be read.", "Idempotency-Key must be 1–255 printable ASCII characters.", "idempotency");

    // OAuth and connections
    public static readonly ErrorDefinition UnsupportedPlatform = new("unsupported_platform", 400, "Unsupported platform", false, false,
        "This platform is not supported.", "platform must be one of facebook, instagram, youtube.", "connection");
    public static readonly ErrorDefinition LoginNotAvailable = new("login_not_available", 400, "Login not available", false, false,
        "This way of logging in is not available.", "login=instagram needs the Instagram app's id and secret in Platforms:Meta:InstagramAppId / InstagramAppSecret; use login=facebook or configure it.", "connection");
    public static readonly ErrorDefinition ReturnUrlNotAllowed = new("return_url_not_allowed", 400, "Return URL not allowed", false, false,
        "The connection could not be started.", "return_url must start with one of the API client's allowed return URLs (no open redirects).", "connection");
    public static readonly ErrorDefinition OAuthStateInvalid = new("oauth_state_invalid", 400, "OAuth state invalid", false, false,
        "The connection link is not valid. Please start again.", "The state parameter is unknown, forged or belongs to another platform.", "connection");
    public static readonly ErrorDefinition OAuthStateExpired = new("oauth_state_expired", 400, "OAuth state expired", false, false,
        "The connection took too long. Please start again.", "The consent was not completed within the state's lifetime (10 minutes).", "connection");
    public static readonly ErrorDefinition OAuthStateReplayed = new("oauth_state_replayed", 400, "OAuth state already used", false, false,
        "This connection link was already used. Please start again.", "The state was already consumed by an earlier callback.", "connection");
    public static readonly ErrorDefinition OAuthAccessDenied = new("oauth_access_denied", 400, "Access denied", false, false,
        "The connection was cancelled.", "The user denied the consent on the platform.", "connection");
    public static readonly ErrorDefinition InsufficientPermissions = new("insufficient_permissions", 403, "Insufficient permissions", false, true,
        "Some permissions needed to publish were not granted. Please reconnect and allow all permissions.", "The user did not grant every scope publishing needs, or the platform removed one.", "connection");
    public static readonly ErrorDefinition NoPublishableAccounts = new("no_publishable_accounts", 400, "No publishable accounts", false, false,
        "No account that can be published to was found.", "The platform account has no Facebook Page, no linked Instagram professional account, or no YouTube channel.", "connection");
    public static readonly ErrorDefinition YouTubeChannelRequired = new("youtube_channel_required", 400, "YouTube channel required", false, false,
        "This Google account has no YouTube channel. Create one, then connect again.", "channels?mine=true returned no channel for the account that consented.", "connection");
    public static readonly ErrorDefinition OAuthExchangeFailed = new("oauth_exchange_failed", 502, "Code exchange failed", true, false,
        "The platform did not complete the connection. Please try again.", "The platform rejected or failed the authorization-code exchange.", "connection");
    public static readonly ErrorDefinition ReauthRequired = new("reauth_required", 409, "Reconnection required", false, true,
        "Please reconnect this account.", "The stored grant no longer works (expired, revoked, password changed). Send the user through authorize again.", "connection");
    public static readonly ErrorDefinition ConnectionRevoked = new("connection_revoked", 409, "Connection revoked", false, true,
        "This account was disconnected.", "The connection was deleted; connect the account again to publish.", "connection");
    public static readonly ErrorDefinition ConnectionNotActive = new("connection_not_active", 409, "Connection not active", false, true,
        "Please reconnect this account.", "A target connection is not active (reauth_required or revoked).", "connection");

    // Media
    public static readonly ErrorDefinition MediaUrlInvalid = new("media_url_invalid", 400, "Media URL invalid", false, false,
        "The media link is not valid.", "media.url must be an absolute https URL (http only for development hosts).", "media");
    public static readonly ErrorDefinition MediaHostNotAllowed = new("media_host_not_allowed", 400, "Media host not allowed", false, false,
        "The media link is not from an allowed source.", "The URL's host is not on the media allow-list (stream.mux.com and configured hosts).", "media");
    public static readonly ErrorDefinition MediaAddressForbidden = new("media_address_forbidden", 400, "Media address forbidden", false, false,
        "The media link is not from an allowed source.", "The URL's host resolves to a loopback, private, link-local or otherwise internal address.", "media");
    public static readonly ErrorDefinition MediaFetchFailed = new("media_fetch_failed", 422, "Media fetch failed", true, false,
        "The media could not be downloaded.", "Fetching the media URL failed (unreachable, timeout, non-2xx).", "media");
    public static readonly ErrorDefinition MediaUnsupportedFormat = new("media_unsupported_format", 422, "Unsupported media format", false, false,
        "This file format is not supported by the platform.", "The media type or container is not accepted by the target (e.g. Instagram images must be JPEG).", "media");
    public static readonly ErrorDefinition MediaTooLarge = new("media_too_large", 422, "Media too large", false, false,
        "The file is too large for this platform.", "The media exceeds the platform's size limit.", "media");
    public static readonly ErrorDefinition MediaNotReady = new("media_not_ready", 422, "Media not ready", true, false,
        "The video is still being prepared.", "The Mux rendition is not ready yet (404). The job waits and retries within its budget.", "media");
    public static readonly ErrorDefinition MediaDurationOutOfRange = new("media_duration_out_of_range", 422, "Media duration out of range", false, false,
        "This video is too short or too long for the platform.", "The video's duration (from its moov box) is outside the target's range, e.g. Instagram Reels 3 s – 15 min; see detail.", "media");
    public static readonly ErrorDefinition MediaAspectRatioUnsupported = new("media_aspect_ratio_unsupported", 422, "Media aspect ratio unsupported", false, false,
        "The shape of this image or video is not accepted by the platform.", "The media's width:height is outside the target's range, e.g. Instagram feed images 4:5 – 1.91:1; see detail.", "media");
    public static readonly ErrorDefinition MediaResolutionUnsupported = new("media_resolution_unsupported", 422, "Media resolution unsupported", false, false,
        "The resolution of this video is not accepted by the platform.", "The media's pixel size is outside the target's limits, e.g. Instagram Reels at most 1920 px wide; see detail.", "media");
    public static readonly ErrorDefinition MediaUrlExpired = new("media_url_expired", 422, "Media URL expired", false, false,
        "The media link has expired. Please send a fresh link.",
        "The media host answered 401/403: a signed URL (e.g. a Mux playback token) expired or does not match the file. Retry the job with a fresh media_url (POST /v1/jobs/{id}/retry).", "media");
    public static readonly ErrorDefinition MediaUrlExpiresTooSoon = new("media_url_expires_too_soon", 400, "Media URL expires too soon", false, false,
        "The media link expires before the post can be published. Please send a link that lasts longer.",
        "The signed URL's token (its exp claim) expires before a job can plausibly finish (Orbyt:Media:MinSignedUrlLifetime, 2 h by default). Sign the URL with a longer expiry.", "media");
    public static readonly ErrorDefinition MediaTypeNotSupportedByPlatform = new("media_type_not_supported", 400, "Media type not supported by platform", false, false,
        "This platform does not accept this kind of media.", "The target platform does not accept this media type (e.g. images to YouTube).", "media");
    public static readonly ErrorDefinition CaptionInvalid = new("caption_invalid", 400, "Caption invalid", false, false,
        "The caption is too long or has too many hashtags or mentions.", "Instagram captions allow at most 2,200 characters, 30 hashtags and 20 @-mentions.", "media");
    public static readonly ErrorDefinition TitleRequired = new("title_required", 400, "Title required", false, false,
        "A title is required.", "YouTube targets need a title (1–100 characters, no < or >).", "media");
    public static readonly ErrorDefinition FormatNotSupported = new("format_not_supported", 400, "Format not supported by platform", false, false,
        "This kind of post is not available on this platform.", "The target's format is not one the platform offers: Facebook post, reel or story; Instagram feed, reels or story; YouTube video.", "media");
    public static readonly ErrorDefinition FormatMediaMismatch = new("format_media_mismatch", 400, "Format does not take this media", false, false,
        "This kind of post cannot carry this media.", "The target's format does not take this media: an Instagram Reel or a Facebook reel needs one video, an Instagram feed post with one item needs an image (a single video is a Reel), a story takes one image or video, a Facebook post of several items takes images only; see detail.", "media");
    public static readonly ErrorDefinition MediaCountInvalid = new("media_count_invalid", 400, "Media count invalid", false, false,
        "This kind of post cannot have this many media items.", "The number of media items does not fit the target's format: see detail for the format's range.", "media");
    public static readonly ErrorDefinition AltTextNotSupported = new("alt_text_not_supported", 400, "Alt text not supported", false, false,
        "A description can only be added to images here.", "alt_text is for images in Instagram feed posts and carousels and Facebook photos; videos, Reels and stories take none.", "media");
    public static readonly ErrorDefinition MediaRequired = new("media_required", 400, "Media required", false, false,
        "This platform needs an image or a video.", "A publication without media (a text or link post) can only go to Facebook Pages; Instagram and YouTube targets need media, and a Facebook reel or story needs its video or image.", "media");
    public static readonly ErrorDefinition LinkInvalid = new("link_invalid", 400, "Link invalid", false, false,
        "The link is not valid.", "facebook.link must be an absolute http or https URL (at most 2,000 characters) and goes on a Facebook post without media; see detail.", "media");
    public static readonly ErrorDefinition ThumbnailInvalid = new("thumbnail_invalid", 422, "Thumbnail invalid", false, false,
        "This thumbnail image cannot be used.",
        "youtube.thumbnail_url must be a JPEG or PNG of at most 2 MB and at least 640 px wide (YouTube recommends 1280×720); YouTube's invalidImage is reported the same way. See detail.", "media");
    public static readonly ErrorDefinition InstagramOptionNotSupported = new("instagram_option_not_supported", 400, "Instagram option not supported by this format", false, false,
        "This option cannot be used with this kind of Instagram post.",
        "An instagram option on a format that does not take it (reference §13.1): cover_url and thumb_offset go on Reels only; collaborators and location_id on a feed image, a carousel or a Reel (never a story); user_tags on a feed image, a Reel or a story (not a carousel). See detail.", "media");
    public static readonly ErrorDefinition InstagramCollaboratorsInvalid = new("instagram_collaborators_invalid", 400, "Instagram collaborators invalid", false, false,
        "The collaborators are not valid.",
        "instagram.collaborators takes 1–3 different Instagram usernames: letters, digits, periods and underscores, at most 30 characters, without the @.", "media");
    public static readonly ErrorDefinition InstagramUserTagsInvalid = new("instagram_user_tags_invalid", 400, "Instagram user tags invalid", false, false,
        "The tagged users are not valid.",
        "instagram.user_tags takes 1–20 tags, each an Instagram username (letters, digits, periods and underscores, at most 30, without the @) and a position x, y from 0 to 1 (both or neither; both required on a feed image). See detail.", "media");
    public static readonly ErrorDefinition InstagramThumbOffsetInvalid = new("instagram_thumb_offset_invalid", 422, "Instagram thumb_offset out of range", false, false,
        "The cover frame is outside the video.",
        "instagram.thumb_offset is milliseconds into the Reel: at least 0 and less than the video's duration (as probed at create; Meta's 1/2207057 at publish time is reported the same way).", "media");
    public static readonly ErrorDefinition InstagramCoverInvalid = new("instagram_cover_invalid", 422, "Instagram cover invalid", false, false,
        "This cover image cannot be used.",
        "instagram.cover_url must be a JPEG of at most 8 MB that its host serves (not a signed URL); the media URL policy applies first, with its own codes. See detail.", "media");
    public static readonly ErrorDefinition InstagramLocationInvalid = new("instagram_location_invalid", 400, "Instagram location invalid", false, false,
        "This location cannot be used.",
        "instagram.location_id must be the numeric id of a Facebook Page with location data; Meta's INSTAGRAM_PLATFORM_API__INVALID_LOCATION_ID at publish time (a Page without location data) is reported the same way.", "media");
    public static readonly ErrorDefinition InstagramUserInvalid = new("instagram_user_invalid", 422, "Instagram user cannot be tagged", false, false,
        "A collaborator or tagged user could not be found.",
        "Meta could not load a collaborator or tagged user (110/2207018: a private profile or an unknown username); only at publish time — usernames are checked for their shape at create. Change the usernames and publish again.", "platform");
    public static readonly ErrorDefinition YouTubePublishAtRequiresPrivate = new("youtube_publish_at_requires_private", 400, "YouTube publish_at requires private", false, false,
        "A YouTube release time needs the video to be private until then.",
        "youtube.publish_at (YouTube's own scheduled release, status.publishAt) is only valid with youtube.privacy_status private (or left out, which is private); YouTube makes the video public at that time.", "media");
    public static readonly ErrorDefinition YouTubePlaylistScopeMissing = new("youtube_playlist_scope_missing", 403, "YouTube playlist permission missing", false, true,
        "This YouTube account was connected without permission to manage playlists. Please reconnect it.",
        "youtube.playlist_id needs the youtube.force-ssl (or youtube) scope, which youtube.upload does not include. Connect the account again with features [\"youtube_playlists\"] on POST /v1/connections/youtube/authorize.", "connection");
    public static readonly ErrorDefinition FirstCommentInvalid = new("first_comment_invalid", 400, "First comment invalid", false, false,
        "The first comment is empty or too long.", "first_comment needs visible text: at most 8,000 characters on Facebook, 2,200 on Instagram.", "media");
    public static readonly ErrorDefinition FirstCommentNotSupported = new("first_comment_not_supported", 400, "First comment not supported", false, false,
        "A first comment cannot be added to this kind of post.",
        "first_comment is for Facebook posts and Reels and Instagram feed posts and Reels. Stories take no comments, and YouTube comments need the youtube.force-ssl scope, which Orbyt does not ask for (docs/publishing.md, first comment).", "media");
    public static readonly ErrorDefinition FirstCommentPermissionMissing = new("first_comment_permission_missing", 403, "First comment permission missing", false, true,
        "Please reconnect this account to allow Orbyt to comment on its posts.",
        "The connection was made without the comment permission (Facebook pages_manage_engagement, Instagram instagram_manage_comments, Instagram Login instagram_business_manage_comments): reconnect it, and grant the permission, before sending first_comment.", "media");
    public static readonly ErrorDefinition CallbackUrlInvalid = new("callback_url_invalid", 400, "Callback URL invalid", false, false,
        "The callback link is not valid.", "callback_url must be https (http only for development hosts) and must not resolve to an internal address.", "validation");

    // Platform limits
    public static readonly ErrorDefinition PlatformRateLimited = new("platform_rate_limited", 429, "Platform rate limit", true, false,
        "The platform is limiting requests. Publishing will continue shortly.", "A Meta or Google rate limit was hit; the job waits until the limit refills.", "rate_limit");
    public static readonly ErrorDefinition InstagramPublishingLimitReached = new("instagram_publishing_limit_reached", 429, "Instagram publishing limit reached", true, false,
        "This Instagram account reached its daily posting limit.", "The account used its content_publishing_limit (50 posts per 24 h by default); the job waits for the window.", "rate_limit");
    public static readonly ErrorDefinition FacebookReelLimitReached = new("facebook_reel_limit_reached", 429, "Facebook reel limit reached", true, false,
        "This Page published its daily maximum of reels. The reel will be published when the window allows.", "The Page published 30 reels through the API in the last 24 hours (Meta's cap, reference §12.4); Orbyt counts them before publishing and the job waits until the oldest leaves the window.", "rate_limit");
    public static readonly ErrorDefinition YouTubeQuotaExceeded = new("youtube_quota_exceeded", 429, "YouTube quota exceeded", true, false,
        "YouTube's daily limit was reached. The video will be published after the daily reset.", "The project's YouTube Data API quota is exhausted until midnight America/Los_Angeles.", "rate_limit");
    public static readonly ErrorDefinition YouTubeUploadLimitExceeded = new("youtube_upload_limit_exceeded", 429, "YouTube upload limit exceeded", true, false,
        "This channel uploaded too many videos today.", "The channel's own daily upload cap (uploadLimitExceeded) was reached; retry after about 24 h.", "rate_limit");

    // Platform processing and outages
    public static readonly ErrorDefinition FacebookProcessingFailed = new("facebook_processing_failed", 422, "Facebook processing failed", false, false,
        "Facebook could not process this video.", "The video's processing phase ended in error; see platform.message.", "platform");
    public static readonly ErrorDefinition InstagramProcessingFailed = new("instagram_processing_failed", 422, "Instagram processing failed", false, false,
        "Instagram could not process this media.", "The container ended in ERROR (e.g. 2207026 unsupported video); see platform.subcode.", "platform");
    public static readonly ErrorDefinition InstagramContainerExpired = new("instagram_container_expired", 422, "Instagram container expired", true, false,
        "The upload expired before it was published.", "The container was not published within 24 h; retrying creates a new one.", "platform");
    public static readonly ErrorDefinition YouTubeProcessingFailed = new("youtube_processing_failed", 422, "YouTube processing failed", false, false,
        "YouTube could not process this video.", "The video's uploadStatus became failed or rejected; see platform.message for the reason.", "platform");
    public static readonly ErrorDefinition YouTubeThumbnailNotAllowed = new("youtube_thumbnail_not_allowed", 422, "YouTube custom thumbnails not allowed", false, false,
        "This YouTube channel cannot use custom thumbnails yet. The video was published without it.",
        "thumbnails.set answered 403 forbidden: the channel is not allowed custom thumbnails (phone verification / intermediate features in YouTube Studio). Reported in the job result's thumbnail; the video stays published.", "platform");
    public static readonly ErrorDefinition YouTubePlaylistNotFound = new("youtube_playlist_not_found", 422, "YouTube playlist not found", false, false,
        "The YouTube playlist was not found. The video was published without it.",
        "playlistItems.insert answered 404 playlistNotFound: the playlist id does not exist or is not visible to the channel. Reported in the job result's playlist; the video stays published.", "platform");
    public static readonly ErrorDefinition YouTubePlaylistRefused = new("youtube_playlist_refused", 422, "YouTube playlist refused the video", false, false,
        "The video could not be added to the YouTube playlist. It was published without it.",
        "playlistItems.insert refused the video (playlistContainsMaximumNumberOfVideos, playlistItemsNotAccessible, forbidden …; see platform.subcode). Reported in the job result's playlist; the video stays published.", "platform");
    public static readonly ErrorDefinition PlatformUnavailable = new("platform_unavailable", 503, "Platform unavailable", true, false,
        "The platform is temporarily unavailable. Publishing will be retried.", "The platform answered 5xx or a transient error, or could not be reached.", "platform");
    public static readonly ErrorDefinition PlatformRejected = new("platform_rejected", 422, "Platform rejected the request", false, false,
        "The platform rejected this post.", "The platform refused the request for a reason that retrying will not fix (duplicate post, policy, invalid parameter).", "platform");
    public static readonly ErrorDefinition PlatformAccountRestricted = new("platform_account_restricted", 422, "Platform account restricted", false, false,
        "The platform has restricted this account, so it cannot publish right now.",
        "The platform blocked the account or channel (Meta 368 policy block, Instagram 25/2207050 restricted account, Instagram 4/2207051 activity restricted as possible spam (publishing to that account then pauses for hours), YouTube channelClosed/channelSuspended/accountClosed/accountSuspended). The user must resolve it with the platform.", "platform");
    public static readonly ErrorDefinition PublishOutcomeUnknown = new("publish_outcome_unknown", 502, "Publish outcome unknown", false, false,
        "We could not confirm whether the post was published. Please check the account before trying again.",
        "The irreversible publish call was interrupted, and asking the platform did not settle what happened (e.g. several posts on the Page match it); the job is not repeated blindly, to never publish twice.", "platform");
    public static readonly ErrorDefinition PlatformErrorUnknown = new("platform_error_unknown", 502, "Unknown platform error", true, false,
        "Something went wrong on the platform.", "The platform returned an error this API does not recognise; the raw platform error is kept in platform.", "platform");
    public static readonly ErrorDefinition FirstCommentFailed = new("first_comment_failed", 422, "First comment failed", false, false,
        "The post was published, but its first comment could not be added.",
        "Only in a published job's result.first_comment.error: the post is live and stays so (it is never published again); the comment call failed for good (see platform), or its answer was lost and the post's comments could not be read. Add the comment yourself if it matters.", "platform");

    // Jobs
    public static readonly ErrorDefinition JobNotRetryable = new("job_not_retryable", 409, "Job not retryable", false, false,
        "This job cannot be retried.", "Only failed jobs can be retried, and only when their error is retryable or the connection was reconnected.", "validation");
    public static readonly ErrorDefinition JobNotCancellable = new("job_not_cancellable", 409, "Job not cancellable", false, false,
        "This job can no longer be cancelled.", "Jobs can be cancelled only before they start publishing.", "validation");
    public static readonly ErrorDefinition JobNotReschedulable = new("job_not_reschedulable", 409, "Job not reschedulable", false, false,
        "This post can no longer be rescheduled.", "Only a scheduled job can be rescheduled, until the scheduler releases it (its publish_at less the platform's lead time). Read the job again: it may have started.", "validation");

    // Webhooks
    public static readonly ErrorDefinition WebhookUrlInvalid = new("webhook_url_invalid", 400, "Webhook URL invalid", false, false,
        "The webhook link is not valid.", "url must be an absolute https URL without credentials (plain http only for hosts allowed in development) whose host resolves.", "webhook");
    public static readonly ErrorDefinition WebhookAddressForbidden = new("webhook_address_forbidden", 400, "Webhook address forbidden", false, false,
        "The webhook link points to an address that is not allowed.", "The URL's host resolves to a loopback, private, link-local, multicast or otherwise internal address.", "webhook");
    public static readonly ErrorDefinition WebhookEndpointDisabled = new("webhook_endpoint_disabled", 409, "Webhook endpoint disabled", false, false,
        "This webhook endpoint is disabled.", "The endpoint is disabled (see disabled_reason); re-enable it with PATCH {\"enabled\": true} first.", "webhook");

    // Internal
    public static readonly ErrorDefinition InternalError = new("internal_error", 500, "Internal error", true, false,
        "Something went wrong on our side.", "An unexpected error. The trace_id identifies it in the logs and traces.", "internal");
    public static readonly ErrorDefinition ServiceUnavailable = new("service_unavailable", 503, "Service unavailable", true, false,
        "The service is temporarily unavailable.", "A dependency (database or queue) is unavailable; retry with backoff.", "internal");

    /// <summary>Every entry, in declaration order.</summary>
    public static IReadOnlyList<ErrorDefinition> All { get; } = typeof(ErrorCatalog)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ErrorDefinition))
        .Select(f => (ErrorDefinition)f.GetValue(null)!)
        .ToArray();

    private static readonly FrozenDictionary<string, ErrorDefinition> ByCode = All.ToFrozenDictionary(e => e.Code);

    public static ErrorDefinition Get(string code) =>
        ByCode.TryGetValue(code, out var e) ? e : throw new KeyNotFoundException($"Unknown error code '{code}'.");

    public static bool TryGet(string code, out ErrorDefinition definition) => ByCode.TryGetValue(code, out definition!);
}
