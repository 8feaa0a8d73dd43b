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

    /// <summary>The person whose user token opened the session: only they can send bytes to it or read its offset.</summary>
    public required string UserId { get; init; }

    /// <summary>A Page video was published with the handle: it is not accepted a second time.</summary>
    public bool HandleUsed { get; set; }
}
