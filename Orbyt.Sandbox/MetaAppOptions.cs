namespace Orbyt.Sandbox;

public sealed class MetaAppOptions
{
    public string AppId { get; set; } = "1234567890";
    public string AppSecret { get; set; } = "sandbox-meta-secret";
    public string AppName { get; set; } = "Orbyt Sandbox App";

    /// <summary>
    /// The app's "Require App Secret" switch as the sandbox starts (and after a reset): the starting value of the
    /// <c>meta_require_appsecret_proof</c> setting. The AppHost turns it on, so every Graph call the services make is
    /// checked for its proof.
    /// </summary>
    public bool RequireAppSecretProof { get; set; }
}
