namespace Orbyt.Core.Data;

/// <summary>One publishable account of one Orbyt user: a Facebook Page, an Instagram professional account or a YouTube channel.</summary>
public sealed class Connection
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public required string UserId { get; set; }
    public required string Platform { get; set; }
    /// <summary>The platform's id of the account (Page id, IG user id, channel id).</summary>
    public required string AccountId { get; set; }
    /// <summary>How it was logged in (<see cref="ConnectionLogins"/>): which token publishes and on which host.</summary>
    public string Login { get; set; } = ConnectionLogins.Facebook;
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
