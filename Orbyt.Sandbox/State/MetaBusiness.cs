namespace Orbyt.Sandbox.State;

/// <summary>
/// A Business Portfolio (Business Manager): the Pages it owns, the client Pages it may access (the agency case), and
/// the people in it (reference §11).
/// </summary>
public sealed class MetaBusiness
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public List<string> OwnedPageIds { get; } = [];
    public List<string> ClientPageIds { get; } = [];
    public List<string> MemberUserIds { get; } = [];
}
