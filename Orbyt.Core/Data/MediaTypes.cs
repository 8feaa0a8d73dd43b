namespace Orbyt.Core.Data;

public static class MediaTypes
{
    public const string Image = "image";
    public const string Video = "video";
    /// <summary>A publication without media (a Facebook text or link post): stored as its media_type, with an empty media_url.</summary>
    public const string None = "none";
}
