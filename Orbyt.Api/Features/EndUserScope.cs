using Orbyt.Core.Data;

namespace Orbyt.Api.Features;

/// <summary>
/// The rows of one end user of the calling API client. Every read by id or by user goes through these filters, so
/// another client's or another user's row is indistinguishable from one that does not exist.
/// </summary>
public static class EndUserScope
{
    public static IQueryable<Connection> OwnedBy(this IQueryable<Connection> connections, Guid clientId, string userId) =>
        connections.Where(c => c.ClientId == clientId && c.UserId == userId);

    public static IQueryable<Publication> OwnedBy(this IQueryable<Publication> publications, Guid clientId, string userId) =>
        publications.Where(p => p.ClientId == clientId && p.UserId == userId);

    public static IQueryable<Job> OwnedBy(this IQueryable<Job> jobs, Guid clientId, string userId) =>
        jobs.Where(j => j.ClientId == clientId && j.UserId == userId);
}
