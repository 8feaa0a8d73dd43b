namespace Orbyt.Core.Credentials;

/// <summary>Exponential backoff with jitter: base·2^(n−1), capped, then spread over [½, 1] of that so replicas do not retry in step.</summary>
public sealed record RefreshBackoff(TimeSpan Base, TimeSpan Max)
{
    public TimeSpan Delay(int consecutiveFailures, double random)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 30);
        var capped = Math.Min(Max.TotalSeconds, Base.TotalSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds(capped * (0.5 + 0.5 * Math.Clamp(random, 0, 1)));
    }
}
