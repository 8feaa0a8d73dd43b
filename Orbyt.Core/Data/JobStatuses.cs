namespace Orbyt.Core.Data;

public static class JobStatuses
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Published = "published";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
