namespace Orbyt.Sandbox;

internal static partial class SandboxLog
{
    [LoggerMessage(1, LogLevel.Information, "Scripted {Kind} fault {FaultId} applied to {Method} {Path}")]
    public static partial void FaultApplied(this ILogger logger, string kind, string faultId, string method, string path);

    [LoggerMessage(2, LogLevel.Information, "Created identity {IdentityId}")]
    public static partial void IdentityCreated(this ILogger logger, string identityId);

    [LoggerMessage(3, LogLevel.Information, "Fetched media from {Host}: {Bytes} bytes")]
    public static partial void MediaFetched(this ILogger logger, string host, long bytes);

    [LoggerMessage(4, LogLevel.Information, "Could not fetch media from {Host}: {Reason}")]
    public static partial void MediaFetchFailed(this ILogger logger, string host, string reason);

    [LoggerMessage(5, LogLevel.Information, "Published {Platform} {Type} {MediaId} on {AccountId}")]
    public static partial void Published(this ILogger logger, string platform, string type, string mediaId, string accountId);

    [LoggerMessage(6, LogLevel.Information, "Upload session {SessionId} received {Bytes} bytes (total {Total})")]
    public static partial void UploadProgress(this ILogger logger, string sessionId, long bytes, long total);

    [LoggerMessage(7, LogLevel.Information, "Sandbox reset")]
    public static partial void SandboxReset(this ILogger logger);

    [LoggerMessage(8, LogLevel.Information, "Sandbox clock advanced by {Seconds} s")]
    public static partial void ClockAdvanced(this ILogger logger, double seconds);
}
