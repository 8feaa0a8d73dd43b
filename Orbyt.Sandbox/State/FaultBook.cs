namespace Orbyt.Sandbox.State;

/// <summary>The kinds of scripted faults (snake_case on the wire).</summary>
public static class FaultKinds
{
    public const string Error = "error";
    public const string RateLimit = "rate_limit";
    public const string Transient = "transient";
    public const string CutConnection = "cut_connection";
    public const string ProcessingFailure = "processing_failure";

    /// <summary>The request is processed in full, then the connection is aborted before the answer is sent.</summary>
    public const string DropResponse = "drop_response";

    public static readonly string[] All = [Error, RateLimit, Transient, CutConnection, ProcessingFailure, DropResponse];
}

/// <summary>
/// One scripted fault: applies to the next <see cref="Count"/> matching requests (or created media for
/// processing failures). Matching is by platform (meta, google, youtube, mux, instagram, facebook), path prefix and
/// method; every filter left null matches everything.
/// </summary>
public sealed record FaultRule
{
    public string Id { get; init; } = "";
    public required string Kind { get; init; }
    public string? Platform { get; init; }
    public string? PathPrefix { get; init; }
    public string? Method { get; init; }
    public int Count { get; init; } = 1;
    public int Remaining { get; set; }

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

public sealed class FaultBook
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private int _next;

    public FaultRule Add(FaultRule rule)
    {
        if (!FaultKinds.All.Contains(rule.Kind))
        {
            throw new ArgumentException($"Unknown fault kind '{rule.Kind}'. Known: {string.Join(", ", FaultKinds.All)}.");
        }

        lock (_gate)
        {
            var stored = rule with { Id = $"fault-{++_next}", Remaining = rule.Count };
            _rules.Add(stored);
            return stored;
        }
    }

    public IReadOnlyList<FaultRule> List()
    {
        lock (_gate)
        {
            return _rules.Select(r => r with { }).ToList();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Consumes one use of the first matching rule of <paramref name="kind"/>.</summary>
    public FaultRule? Take(string kind, string platform, string path, string method, string? alsoPlatform = null)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r =>
                r.Kind == kind
                && r.Remaining > 0
                && (r.Platform is null || string.Equals(r.Platform, platform, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(r.Platform, alsoPlatform, StringComparison.OrdinalIgnoreCase))
                && (r.PathPrefix is null || path.StartsWith(r.PathPrefix, StringComparison.OrdinalIgnoreCase))
                && (r.Method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            return rule with { };
        }
    }
}
