namespace Orbyt.Core.Data;

/// <summary>
/// How a connection was logged in, and so which token publishes for it and on which host (docs/connections.md):
/// Facebook Login through a Page (Facebook Pages, and Instagram accounts linked to one), Instagram Login (an
/// Instagram professional account, no Page needed; publishes on graph.instagram.com), or Google (YouTube).
/// </summary>
public static class ConnectionLogins
{
    public const string Facebook = "facebook";
    public const string Instagram = "instagram";
    public const string Google = "google";

    public static readonly string[] All = [Facebook, Instagram, Google];

    /// <summary>The logins <c>POST /v1/connections/{platform}/authorize</c> offers for a platform; the first is the default.</summary>
    public static string[] For(string platform) => platform switch
    {
        PlatformNames.Instagram => [Facebook, Instagram],
        PlatformNames.Facebook => [Facebook],
        _ => [Google],
    };
}
