namespace Orbyt.Sandbox;

/// <summary>Configuration section "Sandbox": the credentials the fake platforms accept.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    public MetaAppOptions Meta { get; set; } = new();
    public GoogleClientOptions Google { get; set; } = new();
}
