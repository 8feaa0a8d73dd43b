namespace Orbyt.Sandbox;

public sealed class GoogleClientOptions
{
    public string ClientId { get; set; } = "sandbox-client.apps.googleusercontent.com";
    public string ClientSecret { get; set; } = "sandbox-google-secret";
}
