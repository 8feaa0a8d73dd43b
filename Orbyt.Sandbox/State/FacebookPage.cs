namespace Orbyt.Sandbox.State;

public sealed class FacebookPage
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string OwnerUserId { get; init; }
    public string Category { get; init; } = "Brand";
    public string? IgUserId { get; set; }
}
