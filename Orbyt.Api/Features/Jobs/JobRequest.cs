using FastEndpoints;

namespace Orbyt.Api.Features.Jobs;

public sealed class JobRequest
{
    public Guid Id { get; set; }
    [QueryParam, BindFrom("user_id")] public string UserId { get; set; } = "";
}
