using System.Text.Json;
using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Publications;

public sealed record PublicationResponse(
    Guid Id,
    string UserId,
    string Status,
    MediaResponse? Media,
    string? Caption,
    string? Title,
    JsonElement? Options,
    string? CallbackUrl,
    string? ClientReference,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<JobResponse> Jobs)
{
    public static PublicationResponse From(Publication p) => new(
        p.Id, p.UserId, StatusOf(p.Jobs), p.MediaType == MediaTypes.None ? null : new MediaResponse(p.MediaType, p.MediaUrl), p.Caption, p.Title,
        p.Options?.RootElement.Clone(), p.CallbackUrl, p.ClientReference, p.CreatedAt, p.CompletedAt,
        p.Jobs.OrderBy(j => j.CreatedAt).ThenBy(j => j.Id).Select(JobResponse.From).ToArray());

    /// <summary>scheduled while every unfinished job waits for its time; pending while any job is not terminal; then published, failed, or partially_published.</summary>
    public static string StatusOf(IReadOnlyCollection<Job> jobs)
    {
        if (jobs.Any(j => j.Status is JobStatuses.Queued or JobStatuses.Processing)) return "pending";
        if (jobs.Any(j => j.Status == JobStatuses.Scheduled)) return jobs.All(j => j.Status is JobStatuses.Scheduled or JobStatuses.Cancelled) ? "scheduled" : "pending";
        var published = jobs.Count(j => j.Status == JobStatuses.Published);
        return published == jobs.Count ? "published" : published == 0 ? (jobs.All(j => j.Status == JobStatuses.Cancelled) ? "cancelled" : "failed") : "partially_published";
    }
}
