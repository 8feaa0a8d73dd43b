namespace Orbyt.Core.Data;

public static class JobStages
{
    public const string WaitingRateLimit = "waiting_rate_limit";
    public const string Downloading = "downloading";
    public const string Uploading = "uploading";
    public const string PlatformProcessing = "platform_processing";
    public const string Publishing = "publishing";
}
