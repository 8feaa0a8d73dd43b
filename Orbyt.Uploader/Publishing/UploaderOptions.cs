namespace Orbyt.Uploader.Publishing;

/// <summary>The Uploader's settings, bound from <c>Orbyt:Uploader</c> and validated at start.</summary>
public sealed class UploaderOptions
{
    public const string Section = "Orbyt:Uploader";

    /// <summary>
    /// Light job steps in flight per replica (API calls, status checks, publishes). Each waits on a platform's answer
    /// holding no thread and a few KiB, so this is sized for latency: at the platforms' few hundred ms per call, 256
    /// keeps several hundred jobs a second moving (docs/benchmarks.md).
    /// </summary>
    public int MaxLightSteps { get; set; } = 256;
    /// <summary>
    /// While a replica is saturated (fewer than this many light slots free), the consumer waits up to
    /// <see cref="ReadGather"/> for more to free up before it reads the stream: slots come back one at a time, and one
    /// read per returning slot would cost a Redis round trip per job.
    /// </summary>
    public int ReadBatch { get; set; } = 16;
    /// <summary>The longest a saturated consumer waits to gather <see cref="ReadBatch"/> free slots before it reads.</summary>
    public TimeSpan ReadGather { get; set; } = TimeSpan.FromMilliseconds(5);
    /// <summary>
    /// The most job leases taken in one statement (<see cref="JobLeases"/>): the leases of steps started together share a
    /// round trip and a commit.
    /// </summary>
    public int LeaseBatch { get; set; } = 32;
    /// <summary>The memory all relays of a replica share (bytes); each relay copies through one <see cref="RelayBufferSize"/> buffer of it.</summary>
    public long RelayMemoryBudget { get; set; } = 16 * 1024 * 1024;
    /// <summary>One relay's copy buffer (bytes): the size of each read from the media URL and write into the upload.</summary>
    public int RelayBufferSize { get; set; } = 1024 * 1024;
    /// <summary>How long a step waits for room in the relay budget before it is scheduled to come back (at most half its lease).</summary>
    public TimeSpan RelayAdmissionWait { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>When a step that found no room in the relay budget comes back.</summary>
    public TimeSpan RelayRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>How long a replica holds a job before another may take it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Interval between other looks at the platform (a post being made when its answer was lost, a rendition not ready).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long a Facebook reel waits when Meta refuses its finish for the Page's daily reel cap (its window is unknown then).</summary>
    public TimeSpan ReelLimitRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>
    /// The first interval between status reads of an Instagram container, a Facebook video or a YouTube video while
    /// the platform processes it; each next one is the time already waited (so it about doubles), up to
    /// <see cref="StatusPollMax"/>.
    /// </summary>
    public TimeSpan StatusPollFirst { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>The longest interval between two status reads (Meta suggests once a minute for containers).</summary>
    public TimeSpan StatusPollMax { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>A due job whose stream entry is older than this is enqueued again (the entry may be lost).</summary>
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Entries pending longer than this on a silent consumer are claimed (XAUTOCLAIM).</summary>
    public TimeSpan ClaimIdle { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// How long a consumer that found no entry waits before reading the stream again: StackExchange.Redis has no
    /// blocking XREADGROUP, so an idle consumer polls.
    /// </summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>How often acknowledged entries are trimmed from the job stream.</summary>
    public TimeSpan StreamTrimInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Transient-failure budget per job.</summary>
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromHours(2);
    /// <summary>How long to wait for a media URL that answers 404 (a Mux rendition not made yet) before media_not_ready.</summary>
    public TimeSpan MediaReadyBudget { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>
    /// How many times a first comment is tried after transient failures (timeouts, 5xx, rate limits) before the job is
    /// completed as published with result.first_comment failed. A try whose answer was lost is probed before the next.
    /// </summary>
    public int FirstCommentAttempts { get; set; } = 4;
    /// <summary>How many times a URL Meta could not fetch is handed over again before the bytes are pushed (or the job fails).</summary>
    public int PlatformFetchRetries { get; set; } = 2;
    /// <summary>The wait before handing a URL Meta could not fetch over again.</summary>
    public TimeSpan PlatformFetchRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// How often the scheduler looks for scheduled jobs due for release (one index probe when none is due). A job is
    /// released at most this long after its time, plus the pass itself.
    /// </summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>The most scheduled jobs one release statement claims; a full batch is followed at once by the next.</summary>
    public int ReleaseBatch { get; set; } = 1000;
    /// <summary>How often the scheduler runs the pre-flight checks that are due.</summary>
    public TimeSpan PreflightInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How long a replica holds a pre-flight check before another may run it again (the replica died).</summary>
    public TimeSpan PreflightLease { get; set; } = TimeSpan.FromMinutes(2);
    public string? ConsumerName { get; set; }
}
