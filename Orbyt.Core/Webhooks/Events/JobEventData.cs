using Orbyt.Core.Jobs;

namespace Orbyt.Core.Webhooks.Events;

/// <summary><c>data</c> of <c>job.published</c> and <c>job.failed</c>: the job as it was when the event happened.</summary>
public sealed record JobEventData(JobResponse Job, Guid PublicationId) : IWebhookEventData;
