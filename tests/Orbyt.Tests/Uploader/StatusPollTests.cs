using Orbyt.Uploader.Publishing;

namespace Orbyt.Tests.Uploader;

/// <summary>Processing status is read on a back-off (reference §17.3): about 5 s, growing to at most a minute.</summary>
public sealed class StatusPollTests
{
    [Fact]
    public void Reads_start_at_the_first_interval_double_with_the_time_waited_and_stop_growing_at_the_maximum()
    {
        var first = TimeSpan.FromSeconds(5);
        var max = TimeSpan.FromSeconds(60);
        var waited = TimeSpan.Zero;
        var delays = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var next = StatusPoll.Next(waited, first, max);
            delays.Add(next.TotalSeconds);
            waited += next;
        }

        Assert.Equal([5, 5, 10, 20, 40, 60, 60, 60], delays);
    }
}
