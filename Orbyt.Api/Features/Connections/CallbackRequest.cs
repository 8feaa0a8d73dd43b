namespace Orbyt.Api.Features.Connections;

public sealed class CallbackRequest
{
    public string Platform { get; set; } = "";
}
