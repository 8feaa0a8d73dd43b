namespace Orbyt.Api.Security;

public sealed class BootstrapClientOptions
{
    public string Name { get; set; } = "bootstrap";
    public List<string> AllowedReturnUrls { get; set; } = [];
}
