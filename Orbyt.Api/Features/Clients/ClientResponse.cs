using Orbyt.Core.Data;

namespace Orbyt.Api.Features.Clients;

public sealed record ClientResponse(Guid Id, string Name, bool IsAdmin, IReadOnlyList<string> AllowedReturnUrls, DateTimeOffset CreatedAt)
{
    public static ClientResponse From(ApiClient c) => new(c.Id, c.Name, c.IsAdmin, c.AllowedReturnUrls, c.CreatedAt);
}
