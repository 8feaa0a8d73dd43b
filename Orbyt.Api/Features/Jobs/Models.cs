using Orbyt.Core.Data;
using Orbyt.Core.Jobs;

namespace Orbyt.Api.Features.Jobs;

public sealed record JobProgress(long? BytesTransferred, long? BytesTotal);

public sealed record JobResult(string? PlatformPostId, string? Permalink);

/// <summary>A job as the API, the webhook payloads and the docs describe it.</summary>
public sealed record JobResponse(
    Guid Id,
    Guid PublicationId,
    Guid ConnectionId,
    string UserId,
    string Platform,
    string Status,
    string? Stage,
    JobProgress Progress,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    JobResult? Result,
    JobError? Error,
    string? TransferMethod,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static JobResponse From(Job j) => new(
        j.Id, j.PublicationId, j.ConnectionId, j.UserId, j.Platform, j.Status, j.Stage,
        new JobProgress(j.BytesTransferred, j.BytesTotal), j.Attempts,
        j.Status is JobStatuses.Queued or JobStatuses.Processing ? j.NextAttemptAt : null,
        j.ResultPostId is null && j.ResultPermalink is null ? null : new JobResult(j.ResultPostId, j.ResultPermalink),
        JobError.Read(j.Error), j.TransferMethod, j.CreatedAt, j.UpdatedAt, j.CompletedAt);
}

public sealed record JobListResponse(IReadOnlyList<JobResponse> Data, bool HasMore, Guid? NextStartingAfter);
