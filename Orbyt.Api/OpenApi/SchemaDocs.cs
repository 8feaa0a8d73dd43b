using System.Text.Json.Nodes;
using Orbyt.Core.Data;
using Orbyt.Core.Errors;
using Orbyt.Core.Jobs;
using Orbyt.Core.Webhooks;

namespace Orbyt.Api.OpenApi;

/// <summary>
/// What the generated schemas cannot say by themselves: the closed sets of values behind string fields (from the
/// constants the code uses), and examples of the main request and response bodies.
/// </summary>
public static class SchemaDocs
{
    public static readonly string[] JobStatusValues = [JobStatuses.Scheduled, JobStatuses.Queued, JobStatuses.Processing, JobStatuses.Published, JobStatuses.Failed, JobStatuses.Cancelled];
    private static readonly string[] JobStageValues = [JobStages.WaitingRateLimit, JobStages.Downloading, JobStages.Uploading, JobStages.PlatformProcessing, JobStages.WaitingPublishTime, JobStages.Publishing, JobStages.FirstComment];
    public static readonly string[] ConnectionStatusValues = [ConnectionStatuses.Active, ConnectionStatuses.ReauthRequired, ConnectionStatuses.Revoked];
    private static readonly string[] PublicationStatusValues = ["scheduled", "pending", "published", "partially_published", "failed", "cancelled"];
    private static readonly string[] MediaTypes = ["image", "video"];
    private static readonly string[] HealthReconnectReasons =
        [ErrorCatalog.ReauthRequired.Code, ErrorCatalog.ConnectionRevoked.Code, ErrorCatalog.InsufficientPermissions.Code, ErrorCatalog.YouTubeChannelRequired.Code];
    private static readonly string[] HealthCheckErrors = [ErrorCatalog.PlatformUnavailable.Code, ErrorCatalog.PlatformRateLimited.Code, ErrorCatalog.RateLimited.Code];

    /// <summary>(schema, property) → allowed values. A nullable property also allows null.</summary>
    public static readonly (string Schema, string Property, string[] Values)[] Enums =
    [
        ("JobResponse", "status", JobStatusValues),
        ("JobResponse", "stage", JobStageValues),
        ("JobResponse", "platform", PlatformNames.All),
        ("PublicationResponse", "status", PublicationStatusValues),
        ("PublicationMedia", "type", MediaTypes),
        ("MediaResponse", "type", MediaTypes),
        ("YouTubeOptionsRequest", "privacy_status", ["public", "unlisted", "private"]),
        ("JobFollowUp", "status", [JobFollowUp.Succeeded, JobFollowUp.Failed]),
        ("PublicationTarget", "format", ContentFormats.All),
        ("FirstCommentResult", "status", [FirstCommentResult.Published, FirstCommentResult.Failed]),
        ("ConnectionResponse", "platform", PlatformNames.All),
        ("ConnectionResponse", "status", ConnectionStatusValues),
        ("ConnectionResponse", "login", ConnectionLogins.All),
        ("AuthorizeRequest", "login", [ConnectionLogins.Facebook, ConnectionLogins.Instagram, ConnectionLogins.Google]),
        ("ConnectionHealthResponse", "platform", PlatformNames.All),
        ("ConnectionHealthResponse", "login", ConnectionLogins.All),
        ("ConnectionHealthResponse", "status", ConnectionStatusValues),
        ("ConnectionHealthResponse", "reason", HealthReconnectReasons),
        ("ConnectionHealthResponse", "check_error", HealthCheckErrors),
        ("FormatHealth", "reason", [.. HealthReconnectReasons, .. HealthCheckErrors, ErrorCatalog.PlatformAccountRestricted.Code,
            ErrorCatalog.InstagramPublishingLimitReached.Code, ErrorCatalog.FacebookReelLimitReached.Code, ErrorCatalog.YouTubeQuotaExceeded.Code, ErrorCatalog.PlatformRejected.Code,
            ErrorCatalog.FirstCommentPermissionMissing.Code, ErrorCatalog.FirstCommentNotSupported.Code]),
        ("ConnectionExpiringData", "reason", ["data_access_expiring", "token_expiring"]),
        ("WebhookDeliveryResponse", "status", [DeliveryStatuses.Pending, DeliveryStatuses.Succeeded, DeliveryStatuses.Failed]),
        ("WebhookEndpointResponse", "disabled_reason", [WebhookDisabledReasons.Gone, WebhookDisabledReasons.Failing, WebhookDisabledReasons.Manual]),
    ];

    /// <summary>(schema, property) → JSON Schema keywords the validators enforce beyond the type (patterns, lengths, formats).</summary>
    public static readonly (string Schema, string Property, Func<JsonObject> Keywords)[] Constraints =
    [
        ("YouTubeOptionsRequest", "default_language", LanguageTag),
        ("YouTubeOptionsRequest", "default_audio_language", LanguageTag),
        ("YouTubeOptionsRequest", "playlist_id", () => new JsonObject { ["pattern"] = Features.Publications.CreatePublicationValidator.PlaylistIdPattern }),
        ("YouTubeOptionsRequest", "thumbnail_url", () => new JsonObject { ["format"] = "uri", ["minLength"] = 1, ["maxLength"] = 4096 }),
        ("YouTubeOptionsRequest", "publish_at", () => new JsonObject { ["format"] = "date-time" }),
        // Instagram options (reference §13.1, §13.4): the request schema refuses values outside these with the option's own
        // code. thumb_offset's range (≥ 0, < the video's duration) is a rule with the probe (422), so it is not a keyword here.
        ("InstagramOptionsRequest", "cover_url", () => new JsonObject { ["format"] = "uri", ["minLength"] = 1, ["maxLength"] = 4096 }),
        ("InstagramOptionsRequest", "collaborators", () => new JsonObject
        {
            ["minItems"] = 1, ["maxItems"] = Features.Publications.PlatformRules.InstagramCollaboratorsMax, ["uniqueItems"] = true,
            ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = Features.Publications.PlatformRules.InstagramUsernamePattern },
        }),
        ("InstagramOptionsRequest", "location_id", () => new JsonObject { ["pattern"] = Features.Publications.PlatformRules.InstagramLocationIdPattern }),
        ("InstagramOptionsRequest", "user_tags", () => new JsonObject { ["minItems"] = 1, ["maxItems"] = Features.Publications.PlatformRules.InstagramUserTagsMax }),
        ("InstagramUserTagRequest", "username", () => new JsonObject { ["pattern"] = Features.Publications.PlatformRules.InstagramUsernamePattern }),
        ("InstagramUserTagRequest", "x", () => new JsonObject { ["minimum"] = 0, ["maximum"] = 1 }),
        ("InstagramUserTagRequest", "y", () => new JsonObject { ["minimum"] = 0, ["maximum"] = 1 }),
        ("AuthorizeRequest", "features", () => new JsonObject
        {
            ["items"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(Features.Connections.ConnectionFeatures.All.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()) },
        }),
    ];

    private static JsonObject LanguageTag() => new()
    {
        ["pattern"] = Features.Publications.CreatePublicationValidator.LanguageTagPattern,
        ["maxLength"] = Features.Publications.CreatePublicationValidator.LanguageTagMax,
    };

    /// <summary>(schema, property) of lists that also take a single item in place of the list.</summary>
    public static readonly (string Schema, string Property)[] SingleOrList = [("CreatePublicationRequest", "media")];

    /// <summary>(path, query parameter) → allowed values; the list validators check the same arrays.</summary>
    public static readonly (string Path, string Parameter, string[] Values)[] QueryEnums =
    [
        ("/v1/jobs", "status", JobStatusValues),
        ("/v1/jobs", "platform", PlatformNames.All),
        ("/v1/connections", "platform", PlatformNames.All),
        ("/v1/connections", "status", ConnectionStatusValues),
        ("/v1/connections", "include", ["health"]),
    ];

    /// <summary>Page sizes: every list's <c>limit</c> is 1–100 (default 20), checked by <see cref="PageLimit"/>.</summary>
    public const int MaxPageSize = 100;

    /// <summary>(path, query parameter) → inclusive range.</summary>
    public static readonly (string Path, string Parameter, int Minimum, int Maximum)[] QueryRanges =
    [
        ("/v1/jobs", "limit", 1, MaxPageSize),
        ("/v1/publications", "limit", 1, MaxPageSize),
        ("/v1/webhooks/{id}/deliveries", "limit", 1, MaxPageSize),
    ];

    /// <summary>The rule every list's limit follows (absent: the default page size).</summary>
    public static bool PageLimit(int? limit) => limit is null or >= 1 and <= MaxPageSize;

    private const string PublicationId = "01936f8e-0000-7000-8000-000000000001";
    private const string JobId = "01936f8e-0000-7000-8000-000000000002";
    private const string ConnectionId = "01936f8e-0000-7000-8000-000000000003";

    private static JsonObject Job(string status, string? stage) => new()
    {
        ["id"] = JobId, ["publication_id"] = PublicationId, ["connection_id"] = ConnectionId, ["user_id"] = "u_123",
        ["platform"] = "youtube", ["status"] = status, ["stage"] = stage,
        ["progress"] = new JsonObject { ["bytes_transferred"] = 1048576, ["bytes_total"] = 1048576 },
        ["attempts"] = 1, ["next_attempt_at"] = null, ["publish_at"] = null,
        ["result"] = status == JobStatuses.Published
            ? new JsonObject
            {
                ["platform_post_id"] = "OwHK0NXl8Nx", ["permalink"] = "https://www.youtube.com/watch?v=OwHK0NXl8Nx", ["privacy_status"] = "unlisted",
                ["warnings"] = new JsonArray(), ["children"] = null, ["first_comment"] = null, ["thumbnail"] = null, ["playlist"] = null,
            }
            : null,
        ["error"] = null, ["transfer_method"] = "push",
        ["created_at"] = "2026-03-01T11:59:20+00:00", ["updated_at"] = "2026-03-01T12:00:00+00:00",
        ["completed_at"] = status == JobStatuses.Published ? "2026-03-01T12:00:00+00:00" : null,
        ["sequence"] = status == JobStatuses.Queued ? 1 : 4,
    };

    private static JsonObject Connection() => new()
    {
        ["id"] = ConnectionId, ["user_id"] = "u_123", ["platform"] = "youtube", ["login"] = "google",
        ["account"] = new JsonObject { ["id"] = "UCx1y2z3", ["name"] = "Orbyt Cooking", ["username"] = "@orbytcooking", ["avatar_url"] = "https://yt3.example/photo.jpg" },
        ["status"] = "active",
        ["scopes"] = new JsonArray("https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly"),
        ["token_expires_at"] = "2026-03-01T13:00:00+00:00", ["last_refreshed_at"] = "2026-03-01T12:00:00+00:00",
        ["connected_at"] = "2026-01-10T08:00:00+00:00", ["reauth_reason"] = null,
    };

    /// <summary>Schema name → one example (JSON Schema <c>examples</c>).</summary>
    public static Dictionary<string, Func<JsonNode>> Examples { get; } = new()
    {
        ["CreatePublicationRequest"] = () => new JsonObject
        {
            ["user_id"] = "u_123",
            ["targets"] = new JsonArray(new JsonObject { ["connection_id"] = ConnectionId }),
            ["media"] = new JsonObject { ["type"] = "video", ["url"] = "https://stream.mux.com/a1b2c3/highest.mp4" },
            ["title"] = "Spring menu",
            ["caption"] = "Three dishes in three minutes #cooking",
            ["youtube"] = new JsonObject { ["privacy_status"] = "unlisted" },
            ["client_reference"] = "post-981",
        },
        ["PublicationResponse"] = () => new JsonObject
        {
            ["id"] = PublicationId, ["user_id"] = "u_123", ["status"] = "pending",
            ["media"] = new JsonObject { ["type"] = "video", ["url"] = "https://stream.mux.com/a1b2c3/highest.mp4" },
            ["caption"] = "Three dishes in three minutes #cooking", ["title"] = "Spring menu",
            ["options"] = new JsonObject { ["youtube"] = new JsonObject { ["privacy_status"] = "unlisted" }, ["instagram"] = null },
            ["callback_url"] = null, ["client_reference"] = "post-981",
            ["created_at"] = "2026-03-01T11:59:20+00:00", ["completed_at"] = null,
            ["jobs"] = new JsonArray(Job(JobStatuses.Queued, null)),
        },
        ["JobResponse"] = () => Job(JobStatuses.Published, null),
        ["ConnectionResponse"] = Connection,
        ["ConnectionHealthResponse"] = () => new JsonObject
        {
            ["connection_id"] = ConnectionId, ["platform"] = "instagram", ["login"] = "facebook", ["status"] = "active",
            ["checked_at"] = "2026-03-01T12:00:00+00:00", ["cached"] = false, ["token_valid"] = true,
            ["expires_at"] = null, ["data_access_expires_at"] = "2026-05-30T08:00:00+00:00",
            ["scopes_granted"] = new JsonArray("instagram_basic", "instagram_content_publish", "pages_read_engagement", "pages_show_list"),
            ["scopes_required"] = new JsonArray("instagram_basic", "instagram_content_publish", "pages_show_list", "pages_read_engagement"),
            ["scopes_missing"] = new JsonArray(),
            ["can_publish"] = new JsonObject
            {
                ["feed"] = new JsonObject { ["ok"] = true, ["reason"] = null },
                ["reels"] = new JsonObject { ["ok"] = true, ["reason"] = null },
                ["story"] = new JsonObject { ["ok"] = true, ["reason"] = null },
            },
            ["can_first_comment"] = new JsonObject { ["ok"] = false, ["reason"] = "first_comment_permission_missing" },
            ["needs_reconnect"] = false, ["reason"] = null, ["reason_detail"] = null, ["check_error"] = null,
            ["quota"] = new JsonObject
            {
                ["instagram"] = new JsonObject { ["posts_used"] = 3, ["posts_total"] = 50, ["posts_left"] = 47, ["window_seconds"] = 86400 },
                ["facebook_reels"] = null,
                ["youtube"] = null,
                ["meta_usage"] = new JsonObject { ["app_percent"] = 4, ["account_percent"] = 12, ["account_regain_minutes"] = 0 },
            },
            ["pauses"] = new JsonArray(),
        },
        ["AuthorizeRequest"] = () => new JsonObject { ["user_id"] = "u_123", ["return_url"] = "https://app.orbyt.example/connections/done" },
        ["AuthorizeResponse"] = () => new JsonObject
        {
            ["authorization_url"] = "https://accounts.google.com/o/oauth2/v2/auth?client_id=…&state=…",
            ["expires_at"] = "2026-03-01T12:10:00+00:00",
        },
        ["CreateWebhookRequest"] = () => new JsonObject
        {
            ["url"] = "https://app.orbyt.example/hooks/orbyt",
            ["events"] = new JsonArray("job.published", "job.failed"),
            ["description"] = "production receiver",
        },
        ["ConnectionEventData"] = () => new JsonObject { ["connection"] = Connection() },
        ["JobEventData"] = () => new JsonObject { ["job"] = Job(JobStatuses.Published, null), ["publication_id"] = PublicationId },
    };
}
