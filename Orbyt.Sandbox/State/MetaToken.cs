namespace Orbyt.Sandbox.State;

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
