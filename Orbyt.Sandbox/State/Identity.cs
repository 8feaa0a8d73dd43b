using System.Security.Cryptography;

namespace Orbyt.Sandbox.State;

/// <summary>A test person: a Meta user with Pages (and linked Instagram accounts) and a Google account.</summary>
public sealed class Identity
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public MetaUser? Meta { get; init; }
    public GoogleAccount? Google { get; init; }
}

public sealed class MetaUser
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string IdentityId { get; init; }
    public List<string> PageIds { get; } = [];
}

public sealed class FacebookPage
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string OwnerUserId { get; init; }
    public string Category { get; init; } = "Brand";
    public string? IgUserId { get; set; }
}

public sealed class InstagramAccount
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string PageId { get; init; }
    /// <summary>Posts made elsewhere (quota exhaustion through the control API), counted in the rolling 24 hours from <see cref="ExtraPublishedAt"/>.</summary>
    public int ExtraPublishedForQuota { get; set; }
    public DateTimeOffset ExtraPublishedAt { get; set; }
}

public sealed class GoogleAccount
{
    public required string Sub { get; init; }
    public required string Email { get; init; }
    public required string Name { get; init; }
    public required string IdentityId { get; init; }
    public YouTubeChannel? Channel { get; init; }
}

public sealed class YouTubeChannel
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string CustomUrl { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
}

/// <summary>A user's authorisation of the Meta app: what they granted, until they remove it.</summary>
public sealed class MetaGrant
{
    public required string UserId { get; init; }
    public required string AppId { get; init; }
    public HashSet<string> Scopes { get; set; } = [];
    public bool Revoked { get; set; }
    public DateTimeOffset DataAccessExpiresAt { get; set; }
}

public sealed class MetaCode
{
    public required string Value { get; init; }
    public required string UserId { get; init; }
    public required string RedirectUri { get; init; }
    public required IReadOnlyCollection<string> Scopes { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public bool Used { get; set; }
}

public enum MetaTokenType
{
    User,
    Page,
    App,
}

public sealed class MetaToken
{
    public required string Value { get; init; }
    public required MetaTokenType Type { get; init; }
    public required string AppId { get; init; }
    public string? UserId { get; init; }
    public string? PageId { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public bool LongLived { get; init; }

    /// <summary>Set by the control API: the token answers 190 with this subcode (458, 460, 463, 467, 492).</summary>
    public int? InvalidSubcode { get; set; }
}

/// <summary>A running SHA-256 over bytes received in order; only the offset and the hash state are kept.</summary>
public sealed class ReceivedMedia : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _sha256;

    public long Received { get; private set; }

    public string Sha256 => _sha256 ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    public bool Finished => _sha256 is not null;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_sha256 is not null)
        {
            throw new InvalidOperationException("The media is already complete.");
        }

        _hash.AppendData(bytes);
        Received += bytes.Length;
    }

    public void Dispose() => _hash.Dispose();
}

public sealed class FacebookVideo
{
    public required string Id { get; init; }
    public required string PageId { get; init; }
    public required bool IsReel { get; init; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    public long? ExpectedBytes { get; set; }
    public ReceivedMedia Media { get; } = new();
    public string? Sha256 { get; set; }
    public long ByteLength { get; set; }
    public DateTimeOffset? UploadedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public string? ProcessingError { get; set; }
    public string? VideoState { get; set; }
    public bool Published { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? LegacySessionId { get; set; }
}

/// <summary>A Resumable Upload API session (<c>/{app-id}/uploads</c> → <c>upload:{id}</c>).</summary>
public sealed class FacebookUploadSession
{
    public required string Id { get; init; }
    public required long FileLength { get; init; }
    public required string FileType { get; init; }
    public string? FileName { get; init; }
    public ReceivedMedia Media { get; } = new();
    public string? Handle { get; set; }
}

public sealed class InstagramContainer
{
    public required string Id { get; init; }
    public required string IgUserId { get; init; }
    public required string MediaType { get; init; }
    public string? Caption { get; init; }
    public bool IsCarouselItem { get; init; }
    public IReadOnlyList<string> Children { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; set; }
    public int? ErrorSubcode { get; set; }
    public string? Sha256 { get; set; }
    public long ByteLength { get; set; }
    public string? PublishedMediaId { get; set; }
    public ReceivedMedia? Resumable { get; set; }
    public long? ResumableSize { get; set; }
}

public sealed class InstagramMedia
{
    public required string Id { get; init; }
    public required string IgUserId { get; init; }
    public required string ContainerId { get; init; }
    public required string MediaType { get; init; }
    public required string ProductType { get; init; }
    public string? Caption { get; init; }
    public required string Shortcode { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
}

public sealed class GoogleCode
{
    public required string Value { get; init; }
    public required string Sub { get; init; }
    public required string RedirectUri { get; init; }
    public required IReadOnlyCollection<string> Scopes { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required bool IssueRefreshToken { get; init; }
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }
    public bool Used { get; set; }
}

/// <summary>One consent of a Google account to the client; a refresh token belongs to exactly one grant.</summary>
public sealed class GoogleGrant
{
    public required string Id { get; init; }
    public required string Sub { get; init; }
    public HashSet<string> Scopes { get; set; } = [];
    public string? RefreshToken { get; set; }
    public bool Revoked { get; set; }
    public bool RefreshTokenExpired { get; set; }
}

public sealed class GoogleAccessToken
{
    public required string Value { get; init; }
    public required string GrantId { get; init; }
    public required string Sub { get; init; }
    public required IReadOnlyCollection<string> Scopes { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public bool Revoked { get; set; }
}

public sealed class YouTubeUploadSession
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required string Sub { get; init; }
    public required string Path { get; init; }
    public long? TotalLength { get; set; }
    public required string ContentType { get; init; }
    public required YouTubeVideoMetadata Metadata { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public ReceivedMedia Media { get; } = new();
    public string? VideoId { get; set; }

    /// <summary>Serialises the PUTs of one session: bytes must arrive in order.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);
}

public sealed record YouTubeVideoMetadata(
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    string CategoryId,
    string PrivacyStatus,
    bool? SelfDeclaredMadeForKids,
    string? PublishAt,
    string? Part,
    bool NotifySubscribers);

public sealed class YouTubeVideo
{
    public required string Id { get; init; }
    public required string ChannelId { get; init; }
    public required YouTubeVideoMetadata Metadata { get; init; }
    public required DateTimeOffset UploadedAt { get; init; }
    public required DateTimeOffset ProcessedAt { get; init; }
    public required string Etag { get; init; }
    public required long ByteLength { get; init; }
    public required string Sha256 { get; init; }

    /// <summary>"failed" or "rejected" when a processing fault was scripted.</summary>
    public string? FinalStatus { get; init; }
    public string? FinalReason { get; init; }
}

public sealed class MuxAsset
{
    public required string AssetId { get; init; }
    public required string PlaybackId { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset ReadyAt { get; init; }
    public long? ThroughputBytesPerSecond { get; init; }
    public required int Seed { get; init; }
    public string? Sha256 { get; init; }
}

/// <summary>What a platform accepted as published: the thing tests assert exactly-once and integrity on.</summary>
public sealed record PublishedItem(
    string Id,
    string Platform,
    string AccountId,
    string Type,
    string? Caption,
    string? Title,
    long ByteLength,
    string? Sha256,
    DateTimeOffset PublishedAt,
    string? Permalink,
    IReadOnlyList<PublishedChild>? Children = null)
{
    /// <summary>SHA-256 of the custom thumbnail last set with thumbnails.set (YouTube videos).</summary>
    public string? ThumbnailSha256 { get; set; }
}

public sealed record PublishedChild(string Type, long ByteLength, string? Sha256);
