using System.Text.Json;

namespace Orbyt.Core.Data;

/// <summary>A caller of the API (the Orbyt backend, a staging copy of it, …). Every resource is scoped to one.</summary>
public sealed class ApiClient
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Admin clients may create other clients; the bootstrap client is one.</summary>
    public bool IsAdmin { get; set; }
    /// <summary>Prefixes a connection's <c>return_url</c> must start with (no open redirects).</summary>
    public List<string> AllowedReturnUrls { get; set; } = [];
    /// <summary>Requests per minute this client may make; null = the service default.</summary>
    public int? RequestsPerMinute { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<ApiKey> Keys { get; set; } = [];
}

/// <summary>An API key <c>orb_{key_id}_{secret}</c>; only the SHA-256 of its secret is stored (the API hashes and checks it).</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public ApiClient? Client { get; set; }
    /// <summary>Public part of the key, used to find the row.</summary>
    public required string KeyId { get; set; }
    public required byte[] SecretHash { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

public static class PlatformNames
{
    public const string Facebook = "facebook";
    public const string Instagram = "instagram";
    public const string YouTube = "youtube";
    public static readonly string[] All = [Facebook, Instagram, YouTube];
}

public static class ConnectionStatuses
{
    public const string Active = "active";
    public const string ReauthRequired = "reauth_required";
    public const string Revoked = "revoked";
}

/// <summary>One publishable account of one Orbyt user: a Facebook Page, an Instagram professional account or a YouTube channel.</summary>
public sealed class Connection
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Platform { get; set; }
    /// <summary>The platform's id of the account (Page id, IG user id, channel id).</summary>
    public required string AccountId { get; set; }
    public string? AccountName { get; set; }
    public string? AccountUsername { get; set; }
    public string? AvatarUrl { get; set; }
    public string Status { get; set; } = ConnectionStatuses.Active;
    public string? ReauthReason { get; set; }
    public List<string> Scopes { get; set; } = [];
    /// <summary>The credential that publishes for this account (a Page token for Facebook/Instagram, the Google grant for YouTube).</summary>
    public Guid? CredentialId { get; set; }
    public Credential? Credential { get; set; }
    public DateTimeOffset ConnectedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public static class CredentialKinds
{
    /// <summary>Meta long-lived user token (~60 days) with its data-access window (~90 days).</summary>
    public const string MetaUser = "meta_user";
    /// <summary>Meta Page token derived from a long-lived user token (no expiry, but can be invalidated).</summary>
    public const string MetaPage = "meta_page";
    /// <summary>Google OAuth grant: short-lived access token plus refresh token.</summary>
    public const string Google = "google";
}

/// <summary>
/// Tokens of one grant. The token columns hold ciphertext produced by the token vault, never plaintext.
/// Scheduling columns let the refresher claim due rows with an index range scan, not a table scan.
/// </summary>
public sealed class Credential
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Kind { get; set; }
    /// <summary>Platform identity the grant belongs to (Meta app-scoped user id, Google subject or channel id).</summary>
    public required string Subject { get; set; }
    /// <summary>For Page tokens: the user credential they were derived from.</summary>
    public Guid? ParentCredentialId { get; set; }
    public required byte[] AccessTokenCiphertext { get; set; }
    public byte[]? RefreshTokenCiphertext { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    /// <summary>Meta's data_access_expires_at; Google's refresh_token_expires_in when given.</summary>
    public DateTimeOffset? GrantExpiresAt { get; set; }
    public List<string> Scopes { get; set; } = [];
    public DateTimeOffset? LastRefreshedAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    /// <summary>When the refresher should next look at this credential.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }
    /// <summary>Lease held by a refresher replica or an on-demand refresh.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public string? LastError { get; set; }
    /// <summary>Set when the grant is dead: refreshes stop until the user reconnects.</summary>
    public DateTimeOffset? InvalidatedAt { get; set; }
    public DateTimeOffset? ExpiringNotifiedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A pending OAuth consent: single-use, expiring, bound to client, user, platform and return URL.</summary>
public sealed class OAuthState
{
    public Guid Id { get; set; }
    /// <summary>SHA-256 of the state value sent to the platform; the value itself is not stored.</summary>
    public required byte[] StateHash { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Platform { get; set; }
    public required string ReturnUrl { get; set; }
    /// <summary>PKCE code verifier (Google), encrypted by the token vault.</summary>
    public byte[]? CodeVerifierCiphertext { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

public static class MediaTypes
{
    public const string Image = "image";
    public const string Video = "video";
}

/// <summary>One media item to publish to one or more connections; one <see cref="Job"/> per target.</summary>
public sealed class Publication
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string MediaType { get; set; }
    public required string MediaUrl { get; set; }
    public string? Caption { get; set; }
    public string? Title { get; set; }
    /// <summary>Per-platform options as sent (youtube, instagram, facebook objects).</summary>
    public JsonDocument? Options { get; set; }
    public string? CallbackUrl { get; set; }
    public string? ClientReference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<Job> Jobs { get; set; } = [];
}

public static class JobStatuses
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Published = "published";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

public static class JobStages
{
    public const string WaitingRateLimit = "waiting_rate_limit";
    public const string Downloading = "downloading";
    public const string Uploading = "uploading";
    public const string PlatformProcessing = "platform_processing";
    public const string Publishing = "publishing";
}

/// <summary>Publishing one publication to one connection. Postgres is the ledger; the Redis stream entry is only the doorbell.</summary>
public sealed class Job
{
    public Guid Id { get; set; }
    public Guid PublicationId { get; set; }
    public Publication? Publication { get; set; }
    public Guid ConnectionId { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Platform { get; set; }
    public string Status { get; set; } = JobStatuses.Queued;
    public string? Stage { get; set; }
    public long? BytesTransferred { get; set; }
    public long? BytesTotal { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? ResultPostId { get; set; }
    public string? ResultPermalink { get; set; }
    /// <summary>Catalog error plus the raw platform error, as returned in the API's job.error.</summary>
    public JsonDocument? Error { get; set; }
    /// <summary>Recipe checkpoint: platform references persisted as they are obtained (container id, session URI, video id…).</summary>
    public JsonDocument? Checkpoint { get; set; }
    /// <summary>W3C traceparent of the request that created the job.</summary>
    public string? TraceParent { get; set; }
    /// <summary>Set while an Uploader replica works on the job; a stream entry for a leased job is skipped.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    /// <summary>When the job's last stream entry was added; the reconciler re-adds due jobs whose entry was lost.</summary>
    public DateTimeOffset? EnqueuedAt { get; set; }
    /// <summary>How the media reached the platform: platform_pull (file_url/video_url) or push (we uploaded the bytes).</summary>
    public string? TransferMethod { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>Optimistic concurrency token (Postgres xmin).</summary>
    public uint Version { get; set; }
}

/// <summary>Stripe-style idempotency record: the first response for (client, key) replayed for the same request.</summary>
public sealed class IdempotencyRecord
{
    public Guid ClientId { get; set; }
    public required string Key { get; set; }
    public required string Endpoint { get; set; }
    /// <summary>SHA-256 of the canonical request body; a different body with the same key is rejected.</summary>
    public required byte[] RequestHash { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseBody { get; set; }
    /// <summary>Set while the first request is in flight; a concurrent duplicate sees it and is told to retry.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
