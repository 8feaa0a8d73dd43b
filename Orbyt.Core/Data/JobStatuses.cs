namespace Orbyt.Core.Data;

public static class JobStatuses
{
    /// <summary>Waiting for its <c>publish_at</c> (less the platform's lead time); visible, cancellable and reschedulable.</summary>
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Published = "published";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
