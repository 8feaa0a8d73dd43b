namespace Orbyt.Core.Data;

public static class PlatformNames
{
    public const string Facebook = "facebook";
    public const string Instagram = "instagram";
    public const string YouTube = "youtube";
    public static readonly string[] All = [Facebook, Instagram, YouTube];
}
