namespace Orbyt.Sandbox.State;

public sealed class MetaUser
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string IdentityId { get; init; }
    public List<string> PageIds { get; } = [];
}
