namespace Orbyt.Sandbox;

/// <summary>Configuration section "Sandbox": the credentials the fake platforms accept.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    public MetaAppOptions Meta { get; set; } = new();
    public GoogleClientOptions Google { get; set; } = new();
}

public sealed class MetaAppOptions
{
    public string AppId { get; set; } = "1234567890";
    public string AppSecret { get; set; } = "sandbox-meta-secret";
    public string AppName { get; set; } = "Orbyt Sandbox App";
}

public sealed class GoogleClientOptions
{
    public string ClientId { get; set; } = "sandbox-client.apps.googleusercontent.com";
    public string ClientSecret { get; set; } = "sandbox-google-secret";
}
