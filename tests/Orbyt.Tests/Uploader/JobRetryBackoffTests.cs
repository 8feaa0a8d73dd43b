using Orbyt.Uploader.Publishing;

namespace Orbyt.Tests.Uploader;

/// <summary>
/// How long a job waits after a transient failure (<see cref="JobRunner.Backoff"/>): 5 s doubling per attempt up to
/// 10 minutes, spread over the upper half of that so jobs that failed together do not retry together. The jitter draws
/// from Random.Shared, so these check every draw of many against the window.
/// </summary>
public sealed class JobRetryBackoffTests
{
    private const int Draws = 500;

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(7, 320)]
    [InlineData(8, 600)]
    [InlineData(30, 600)]
    public void Each_attempt_waits_between_half_and_all_of_its_doubling_ceiling_capped_at_ten_minutes(int attempt, double ceilingSeconds)
    {
        var delays = Enumerable.Range(0, Draws).Select(_ => JobRunner.Backoff(attempt).TotalSeconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, ceilingSeconds / 2, ceilingSeconds));
    }

    [Fact]
    public void A_job_that_has_not_run_yet_waits_like_its_first_attempt()
    {
        Assert.All(Enumerable.Range(0, Draws).Select(_ => JobRunner.Backoff(0).TotalSeconds), d => Assert.InRange(d, 2.5, 5));
    }

    [Fact]
    public void Jobs_that_failed_together_are_spread_over_the_window()
    {
        var delays = Enumerable.Range(0, Draws).Select(_ => JobRunner.Backoff(4).TotalSeconds).ToArray();

        // Uniform over [20, 40]: 500 draws all within one second of each other would mean no jitter at all.
        Assert.True(delays.Max() - delays.Min() > 10, $"draws spread over only {delays.Max() - delays.Min():F1} s");
        Assert.True(delays.Distinct().Count() > Draws * 9 / 10);
    }
}
