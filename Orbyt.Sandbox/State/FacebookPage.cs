namespace Orbyt.Sandbox.State;

public sealed class FacebookPage
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The person with a Page role of their own on it; null for a Page reached only through a portfolio.</summary>
    public string? OwnerUserId { get; init; }
    public string Category { get; init; } = "Brand";
    public string? IgUserId { get; set; }
}
