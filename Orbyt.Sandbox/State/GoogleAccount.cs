namespace Orbyt.Sandbox.State;

public sealed class GoogleAccount
{
    public required string Sub { get; init; }
    public required string Email { get; init; }
    public required string Name { get; init; }
    public required string IdentityId { get; init; }
    public YouTubeChannel? Channel { get; init; }
}
