namespace Orbyt.Core.Platforms;

public sealed class GoogleOptions
{
    public const string Section = "Platforms:Google";
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public Uri AccountsBaseUrl { get; set; } = new("https://accounts.google.com/");
    public Uri OAuth2BaseUrl { get; set; } = new("https://oauth2.googleapis.com/");
    public Uri YouTubeBaseUrl { get; set; } = new("https://youtube.googleapis.com/");
}
