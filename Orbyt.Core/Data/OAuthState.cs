namespace Orbyt.Core.Data;

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
    /// <summary>The login the consent goes through (<see cref="ConnectionLogins"/>): for Instagram, Facebook Login or Instagram Login.</summary>
    public string Login { get; set; } = ConnectionLogins.Facebook;
    /// <summary>PKCE code verifier (Google), encrypted by the token vault.</summary>
    public byte[]? CodeVerifierCiphertext { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }

    /// <summary>
    /// Meta: the permissions this consent asked for and the person did not grant, recorded by the callback. The next
    /// authorize of the same user and platform then asks with <c>auth_type=rerequest</c>, without which Meta's dialog
    /// does not ask for a declined permission again.
    /// </summary>
    public List<string>? DeclinedPermissions { get; set; }
}
