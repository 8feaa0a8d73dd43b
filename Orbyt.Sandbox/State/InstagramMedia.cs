namespace Orbyt.Sandbox.State;

public sealed class InstagramMedia
{
    public required string Id { get; init; }
    public required string IgUserId { get; init; }
    public required string ContainerId { get; init; }
    public required string MediaType { get; init; }
    public required string ProductType { get; init; }
    public string? Caption { get; init; }
    public required string Shortcode { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
}
