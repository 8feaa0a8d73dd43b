namespace Orbyt.Sandbox.Control;

/// <summary>Reels the Page published through the API by other means (another tool), counted against Meta's 30 in 24 h.</summary>
public sealed class PageReelsRequest
{
    public int Count { get; set; }
}
