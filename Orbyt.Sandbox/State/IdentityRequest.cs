namespace Orbyt.Sandbox.State;

/// <summary>Options for <c>POST /_sandbox/identities</c>.</summary>
public sealed record IdentityRequest
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public bool Meta { get; init; } = true;
    public int Pages { get; init; } = 2;
    public bool Instagram { get; init; } = true;
    public bool Google { get; init; } = true;
    public bool YoutubeChannel { get; init; } = true;
}
