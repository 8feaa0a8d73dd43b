namespace Orbyt.Api.Features.Errors;

public sealed class GetErrorRequest
{
    public string Code { get; set; } = "";
}
