namespace Orbyt.Sandbox.State;

/// <summary>A test person: a Meta user with Pages (and linked Instagram accounts) and a Google account.</summary>
public sealed class Identity
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public MetaUser? Meta { get; init; }
    public GoogleAccount? Google { get; init; }

    /// <summary>The Instagram professional accounts the person logs in to with Instagram Login: Page-linked ones and those without a Page.</summary>
    public List<string> InstagramAccountIds { get; } = [];
}
