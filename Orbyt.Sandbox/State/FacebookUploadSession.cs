namespace Orbyt.Sandbox.State;

/// <summary>A Resumable Upload API session (<c>/{app-id}/uploads</c> → <c>upload:{id}</c>).</summary>
public sealed class FacebookUploadSession
{
    public required string Id { get; init; }
    public required long FileLength { get; init; }
    public required string FileType { get; init; }
    public string? FileName { get; init; }
    public ReceivedMedia Media { get; } = new();
    public string? Handle { get; set; }
}
