namespace Orbyt.Api.Features.Jobs;

public sealed class JobActionRequest
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
}
