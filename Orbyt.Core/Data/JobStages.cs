namespace Orbyt.Core.Data;

public static class JobStages
{
    public const string WaitingRateLimit = "waiting_rate_limit";
    public const string Downloading = "downloading";
    public const string Uploading = "uploading";
    public const string PlatformProcessing = "platform_processing";
    public const string Publishing = "publishing";
    /// <summary>Ready ahead of a scheduled time (an Instagram container processed): the publish step waits for <c>publish_at</c>.</summary>
    public const string WaitingPublishTime = "waiting_publish_time";
    /// <summary>The post is published; its first comment is being made (or retried after a transient failure).</summary>
    public const string FirstComment = "first_comment";
}
