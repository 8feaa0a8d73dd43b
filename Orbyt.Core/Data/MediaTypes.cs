namespace Orbyt.Core.Data;

public static class MediaTypes
{
    public const string Image = "image";
    public const string Video = "video";
}
