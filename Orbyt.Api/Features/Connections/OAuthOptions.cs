namespace Orbyt.Api.Features.Connections;

/// <summary><c>Orbyt:OAuth</c>: where the platforms send the browser back, and how long a consent may take.</summary>
public sealed class OAuthOptions
{
    public const string Section = "Orbyt:OAuth";

    /// <summary>The API's public base URL; redirect URIs are <c>{PublicBaseUrl}/v1/oauth/{platform}/callback</c>.</summary>
    public Uri PublicBaseUrl { get; set; } = new("http://localhost:5200/");

    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The Facebook connect flow's dialog (default: <see cref="PlatformScopes.Facebook"/>).</summary>
    public MetaLoginFlow Facebook { get; set; } = new() { Scopes = PlatformScopes.Facebook };

    /// <summary>The Instagram connect flow's dialog (default: <see cref="PlatformScopes.Instagram"/>).</summary>
    public MetaLoginFlow Instagram { get; set; } = new() { Scopes = PlatformScopes.Instagram };

    /// <summary>What Instagram Login's window asks for (default: <see cref="PlatformScopes.InstagramLoginAsked"/>; the required ones are always checked).</summary>
    public string[] InstagramLoginScopes { get; set; } = PlatformScopes.InstagramLoginAsked;

    /// <summary>The dialog settings of a Meta connect flow.</summary>
    public MetaLoginFlow MetaLogin(string platform) => platform == Core.Data.PlatformNames.Instagram ? Instagram : Facebook;

    public string RedirectUri(string platform) => new Uri(PublicBaseUrl, $"/v1/oauth/{platform}/callback").ToString();
}
