namespace Orbyt.Sandbox;

public sealed class MetaAppOptions
{
    public string AppId { get; set; } = "1234567890";
    public string AppSecret { get; set; } = "sandbox-meta-secret";
    public string AppName { get; set; } = "Orbyt Sandbox App";

    /// <summary>The Instagram App ID and secret of "API setup with Instagram login" (not the Facebook app's, reference §14).</summary>
    public string InstagramAppId { get; set; } = "9876543210";
    public string InstagramAppSecret { get; set; } = "sandbox-instagram-secret";

    /// <summary>
    /// The app's "Require App Secret" switch as the sandbox starts (and after a reset): the starting value of the
    /// <c>meta_require_appsecret_proof</c> setting. The AppHost turns it on, so every Graph call the services make is
    /// checked for its proof.
    /// </summary>
    public bool RequireAppSecretProof { get; set; }
}
