namespace Orbyt.Sandbox.State;

/// <summary>
/// The scripted response latency of the platform routes, and what it did: how many platform calls were in flight at
/// most, and the delays drawn per rule. Draws are seeded: the n-th call a rule matches gets the n-th value of that
/// rule's generator, so the same seed gives the same delays run after run (their assignment to concurrent calls
/// follows arrival order).
/// </summary>
public sealed class LatencyBook
{
    /// <summary>No delay is longer than this (a log-normal tail is cut here).</summary>
    public const double MaxDelayMs = 120_000;

    /// <summary>z of the 99th percentile of the standard normal distribution.</summary>
    private const double Z99 = 2.3263478740408408;

    private const int KeptSamples = 200_000;

    private readonly Lock _gate = new();
    private Entry[] _entries = [];
    private int _seed = 1;
    private long _inFlight;
    private long _maxInFlight;
    private long _calls;

    /// <summary>Replaces the rules (and their generators) and clears the statistics.</summary>
    public void Set(IReadOnlyList<LatencyRule> rules, int seed)
    {
        foreach (var rule in rules)
        {
            if (rule.Problem() is { } problem)
            {
                throw new ArgumentException(problem);
            }
        }

        lock (_gate)
        {
            _seed = seed;
            // Each rule has its own stream of draws, so adding a rule does not shift another's sequence.
            _entries = rules.Select((rule, i) => new Entry(rule, new Random(unchecked(seed * 31 + i)))).ToArray();
            _maxInFlight = Interlocked.Read(ref _inFlight);
            _calls = 0;
        }
    }

    public void Clear() => Set([], 1);

    /// <summary>A platform call starts: counts it in flight and draws its delay (zero when no rule matches).</summary>
    public TimeSpan Enter(string platform, string path, string method)
    {
        var now = Interlocked.Increment(ref _inFlight);
        lock (_gate)
        {
            _calls++;
            if (now > _maxInFlight)
            {
                _maxInFlight = now;
            }

            var entry = _entries.FirstOrDefault(e => e.Rule.Matches(platform, path, method));
            return entry is null ? TimeSpan.Zero : entry.Draw();
        }
    }

    /// <summary>A platform call's answer has been written (or the call ended without one).</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);

    public object Describe()
    {
        lock (_gate)
        {
            return new
            {
                seed = _seed,
                rules = _entries.Select(e => new
                {
                    platform = e.Rule.Platform,
                    path_prefix = e.Rule.PathPrefix,
                    path_suffix = e.Rule.PathSuffix,
                    method = e.Rule.Method,
                    fixed_ms = e.Rule.FixedMs,
                    p50_ms = e.Rule.P50Ms,
                    p99_ms = e.Rule.P99Ms,
                    delayed = e.Samples.Count,
                    observed = e.Summary(),
                }),
                calls = _calls,
                in_flight = Interlocked.Read(ref _inFlight),
                max_in_flight = _maxInFlight,
            };
        }
    }

    private sealed class Entry(LatencyRule rule, Random random)
    {
        private readonly double _mu = Math.Log(rule.P50Ms ?? 1);
        private readonly double _sigma = rule.P50Ms is { } p50 && rule.P99Ms is { } p99 ? Math.Log(p99 / p50) / Z99 : 0;

        public LatencyRule Rule => rule;
        public List<double> Samples { get; } = [];

        public TimeSpan Draw()
        {
            double ms;
            if (rule.FixedMs is { } fixedMs)
            {
                ms = fixedMs;
            }
            else
            {
                // Box–Muller: one standard normal value from two uniform ones.
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                ms = Math.Min(MaxDelayMs, Math.Exp(_mu + _sigma * z));
            }

            if (Samples.Count < KeptSamples)
            {
                Samples.Add(ms);
            }

            return TimeSpan.FromMilliseconds(ms);
        }

        /// <summary>Percentiles of the delays drawn so far (nearest rank), in milliseconds.</summary>
        public object? Summary()
        {
            if (Samples.Count == 0)
            {
                return null;
            }

            var sorted = Samples.Order().ToArray();
            double At(double q) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)], 3);
            return new { count = sorted.Length, min_ms = At(0), p50_ms = At(0.5), p90_ms = At(0.9), p99_ms = At(0.99), max_ms = At(1), mean_ms = Math.Round(sorted.Average(), 3) };
        }
    }
}
