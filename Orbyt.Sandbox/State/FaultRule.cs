namespace Orbyt.Sandbox.State;

/// <summary>
/// One scripted fault: applies to the next <see cref="Count"/> matching requests (or created media for
/// processing failures). Matching is by platform (meta, google, youtube, mux, instagram, facebook), path prefix (and suffix) and
/// method (and user agent, content type); every filter left null matches everything.
/// </summary>
public sealed record FaultRule
{
    public string Id { get; init; } = "";
    public required string Kind { get; init; }
    public string? Platform { get; init; }
    public string? PathPrefix { get; init; }
    public string? Method { get; init; }

    /// <summary>
    /// Matches requests whose path ends with this text, e.g. <c>/comments</c>: a call on an object whose id is not known
    /// when the fault is scripted (a post's first comment).
    /// </summary>
    public string? PathSuffix { get; init; }

    /// <summary>
    /// Matches requests whose User-Agent contains this text, e.g. <c>facebookexternalhit</c>: Meta's fetches of a
    /// media URL fail while the Uploader's own reads of it work (a host that blocks Meta's crawler).
    /// </summary>
    public string? UserAgent { get; init; }

    /// <summary>
    /// Matches requests whose Content-Type contains this text, e.g. <c>multipart/form-data</c>: a Page photo sent as a
    /// file part, not the same call with a <c>url</c>.
    /// </summary>
    public string? ContentType { get; init; }
    public int Count { get; init; } = 1;
    public int Remaining { get; set; }

    /// <summary>
    /// Lets this many matching requests through before the rule applies, e.g. <c>1</c> on <c>POST /{page}/video_reels</c>:
    /// the upload's start is answered and the finish (the same method and path) is the one that fails.
    /// </summary>
    public int Skip { get; init; }
    public int SkipRemaining { get; set; }

    /// <summary>Meta error code (rate_limit: 4, 17, 32, 613, 80001, 80002; processing_failure: IG subcode).</summary>
    public int? Code { get; init; }
    public int? Subcode { get; init; }

    /// <summary>Google reason (rateLimitExceeded, userRateLimitExceeded, quotaExceeded, ...) or YouTube failure reason.</summary>
    public string? Reason { get; init; }

    /// <summary>HTTP status to answer (transient default 503 for Google/Mux, 500 for Meta).</summary>
    public int? Status { get; init; }

    /// <summary>cut_connection: bytes of the request body read before the connection is aborted.</summary>
    public long? AfterBytes { get; init; }

    /// <summary>rate_limit on Meta: minutes reported in estimated_time_to_regain_access.</summary>
    public int? EstimatedTimeToRegainAccess { get; init; }

    public string? Message { get; init; }
}
