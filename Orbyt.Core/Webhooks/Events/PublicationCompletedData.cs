using Orbyt.Core.Jobs;

namespace Orbyt.Core.Webhooks.Events;

/// <summary><c>data</c> of <c>publication.completed</c>: every job reached published, failed or cancelled.</summary>
public sealed record PublicationCompletedData(
    Guid PublicationId,
    string UserId,
    string? ClientReference,
    int Published,
    int Failed,
    int Cancelled,
    IReadOnlyList<JobResponse> Jobs) : IWebhookEventData;
