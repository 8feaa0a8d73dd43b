namespace Orbyt.IntegrationTests.Support;

/// <summary>
/// Whether a wait moves the sandbox's clock on, 20 s per poll. The fake platforms process videos on that clock, so a
/// test waiting for a video to publish moves it rather than waiting minutes of real time.
/// </summary>
public enum SandboxClockMove
{
    Still,
    EveryPoll,
    /// <summary>Only while the job waits for the platform (stage <c>platform_processing</c>), so nothing else the clock governs moves.</summary>
    WhilePlatformProcessing,
}
