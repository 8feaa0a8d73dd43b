namespace Orbyt.Sandbox.State;

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
            var stored = rule with { Id = $"fault-{++_next}", Remaining = rule.Count, SkipRemaining = rule.Skip };
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

    /// <summary>
    /// Consumes one use of the first matching rule of <paramref name="kind"/> that has no request left to skip; every
    /// matching rule still skipping counts this request as one it let through.
    /// </summary>
    public FaultRule? Take(string kind, string platform, string path, string method, string? alsoPlatform = null, string? userAgent = null, string? contentType = null)
    {
        lock (_gate)
        {
            foreach (var rule in _rules.Where(r =>
                r.Kind == kind
                && r.Remaining > 0
                && (r.Platform is null || string.Equals(r.Platform, platform, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(r.Platform, alsoPlatform, StringComparison.OrdinalIgnoreCase))
                && (r.PathPrefix is null || path.StartsWith(r.PathPrefix, StringComparison.OrdinalIgnoreCase))
                && (r.PathSuffix is null || path.EndsWith(r.PathSuffix, StringComparison.OrdinalIgnoreCase))
                && (r.Method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase))
                && (r.UserAgent is null || (userAgent?.Contains(r.UserAgent, StringComparison.OrdinalIgnoreCase) ?? false))
                && (r.ContentType is null || (contentType?.Contains(r.ContentType, StringComparison.OrdinalIgnoreCase) ?? false))))
            {
                if (rule.SkipRemaining > 0)
                {
                    rule.SkipRemaining--;
                    continue;
                }

                rule.Remaining--;
                return rule with { };
            }

            return null;
        }
    }
}
