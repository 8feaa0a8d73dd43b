namespace Orbyt.Sandbox;

public sealed class MetaAppOptions
{
    public string AppId { get; set; } = "1234567890";
    public string AppSecret { get; set; } = "sandbox-meta-secret";
    public string AppName { get; set; } = "Orbyt Sandbox App";
}
