using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Orbyt.Core.Hosting;

namespace Orbyt.Tests.Hosting;

/// <summary>
/// The Uploader's and the refresher's liveness: each worker loop beats on every iteration, and the health check
/// reports the process unhealthy once a loop has been silent for longer than it allows. Time is moved, not waited for.
/// </summary>
public sealed class LoopHeartbeatTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_worker_with_no_loop_started_yet_is_unhealthy()
    {
        Assert.Equal(HealthStatus.Unhealthy, new LoopHeartbeat(_time).Check().Status);
    }

    [Fact]
    public void A_loop_warming_up_is_healthy_until_its_allowed_silence_has_passed_since_it_started()
    {
        // Issue 16 (13): a first start is green — a loop that has started but not finished its first pass is warming up.
        var heartbeat = new LoopHeartbeat(_time);
        heartbeat.Register("jobs", TimeSpan.FromMinutes(1));

        var warming = heartbeat.Check();
        Assert.Equal(HealthStatus.Healthy, warming.Status);
        Assert.StartsWith("starting since", (string)warming.Data["jobs"]);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Healthy, heartbeat.Check().Status);

        // Never beat within its allowed silence: stuck, not warming up.
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var stuck = heartbeat.Check();
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Contains("jobs", stuck.Description);
    }

    [Fact]
    public void A_loop_stays_healthy_up_to_its_allowed_silence_and_turns_unhealthy_just_after()
    {
        var heartbeat = new LoopHeartbeat(_time);
        heartbeat.Beat("jobs", TimeSpan.FromMinutes(1));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Healthy, heartbeat.Check().Status);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var stale = heartbeat.Check();
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Contains("jobs", stale.Description);
    }

    [Fact]
    public void One_stuck_loop_makes_the_worker_unhealthy_and_is_named_while_the_others_beat()
    {
        var heartbeat = new LoopHeartbeat(_time);
        heartbeat.Beat("jobs", TimeSpan.FromSeconds(30));
        heartbeat.Beat("webhooks", TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(20));
        heartbeat.Beat("jobs", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(20));

        var result = heartbeat.Check();
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("webhooks", result.Description);
        Assert.DoesNotContain("jobs", result.Description);
    }

    [Fact]
    public void A_loop_that_beats_again_after_a_stall_is_healthy_again()
    {
        var heartbeat = new LoopHeartbeat(_time);
        heartbeat.Beat("refresh", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HealthStatus.Unhealthy, heartbeat.Check().Status);

        heartbeat.Beat("refresh", TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Healthy, heartbeat.Check().Status);
    }
}
