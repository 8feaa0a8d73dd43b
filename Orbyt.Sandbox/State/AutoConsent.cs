namespace Orbyt.Sandbox.State;

/// <summary>
/// Consent without HTML: when set, the Meta / Google dialogs answer at once for that account (identity id, Meta user
/// id, Google email or sub) with the listed scopes (all requested scopes when null), or deny when *_deny is true.
/// </summary>
public sealed record AutoConsent
{
    public string? Meta { get; init; }
    public IReadOnlyList<string>? MetaScopes { get; init; }
    public bool MetaDeny { get; init; }
    public string? Google { get; init; }
    public IReadOnlyList<string>? GoogleScopes { get; init; }
    public bool GoogleDeny { get; init; }

    /// <summary>Instagram Login: the account that consents (identity id — its first account without a Page, else its first —, IG user id or username).</summary>
    public string? Instagram { get; init; }
    public IReadOnlyList<string>? InstagramScopes { get; init; }
    public bool InstagramDeny { get; init; }
}
