using Orbyt.Core.Data;

namespace Orbyt.Core.Jobs;

/// <summary>
/// A job as <c>GET /v1/jobs/{id}</c> returns it and as every <c>job.*</c> and <c>publication.completed</c> webhook
/// carries it: built in one place so the API and the Uploader emit the same shape.
/// </summary>
/// <param name="NextAttemptAt">When a queued or processing job runs next, or a scheduled one is released (its publish_at less the platform's lead time); null once it is done.</param>
/// <param name="PublishAt">When the post goes live, for a scheduled publication; null: as soon as possible.</param>
/// <param name="Sequence">Goes up with every change of the job: of two states of one job, the higher is the newer.</param>
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
    DateTimeOffset? PublishAt,
    JobResult? Result,
    JobError? Error,
    string? TransferMethod,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    long Sequence)
{
    public static JobResponse From(Job j) => new(
        j.Id, j.PublicationId, j.ConnectionId, j.UserId, j.Platform, j.Status, j.Stage,
        new JobProgress(j.BytesTransferred, j.BytesTotal), j.Attempts,
        j.Status is JobStatuses.Scheduled or JobStatuses.Queued or JobStatuses.Processing ? j.NextAttemptAt : null,
        j.PublishAt,
        j.ResultPostId is null && j.ResultPermalink is null && j.ResultPrivacyStatus is null ? null
            : new JobResult(j.ResultPostId, j.ResultPermalink, j.ResultPrivacyStatus, JobWarning.Read(j.ResultWarnings), ChildrenOf(j), FirstCommentOf(j)),
        JobError.Read(j.Error), j.TransferMethod, j.CreatedAt, j.UpdatedAt, j.CompletedAt, j.Sequence);

    /// <summary>The first comment's outcome the Uploader saved with the job (<see cref="FirstCommentResult.CheckpointKey"/>).</summary>
    private static FirstCommentResult? FirstCommentOf(Job j) =>
        j.Checkpoint is not null && j.Checkpoint.RootElement.TryGetProperty(FirstCommentResult.CheckpointKey, out var outcome) ? FirstCommentResult.Read(outcome) : null;

    /// <summary>The items' platform ids the recipe saved as it obtained them (<see cref="JobCheckpoint.ChildIds"/>).</summary>
    private static IReadOnlyList<string>? ChildrenOf(Job j) =>
        j.Checkpoint is not null && j.Checkpoint.RootElement.TryGetProperty(JobCheckpoint.ChildIds, out var ids) && ids.ValueKind == System.Text.Json.JsonValueKind.Array
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToArray() : null;
}
