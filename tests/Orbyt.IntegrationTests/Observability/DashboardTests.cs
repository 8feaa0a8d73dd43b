using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Orbyt.IntegrationTests.Observability;

/// <summary>
/// What a developer sees in the dashboard, read from what the real services export (the fixture's OTLP receiver) and
/// from the AppHost's resource states: an idle system makes no traces, and a first start is quiet and green.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardTests(AppHostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task An_idle_system_makes_no_root_spans_from_polling()
    {
        var options = ConfigurationOptions.Parse((await fixture.App.GetConnectionStringAsync("redis"))!);
        options.AllowAdmin = true;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var server = redis.GetServers().Single();

        // The window: long enough for the consumer's XREADGROUP (every 100 ms), the reconciler (every second), the
        // webhook dispatcher (every 0.5 s) and the refresher (every 5 s) to go round many times.
        var from = DateTimeOffset.UtcNow;
        var polls = await ReadGroupCallsAsync(server);
        await Eventually.TrueAsync(async () => await ReadGroupCallsAsync(server) >= polls + 40, "40 idle XREADGROUP polls", TimeSpan.FromSeconds(30));
        var to = DateTimeOffset.UtcNow;
        // Spans of the window are exported within a batch delay (500 ms under test): let the loops go round once more.
        polls = await ReadGroupCallsAsync(server);
        await Eventually.TrueAsync(async () => await ReadGroupCallsAsync(server) >= polls + 20, "20 more XREADGROUP polls", TimeSpan.FromSeconds(30));

        var roots = fixture.Telemetry.Spans.Where(s => s.IsRoot && s.Start >= from && s.Start <= to).ToArray();
        foreach (var group in roots.GroupBy(s => (s.Service, s.Scope, s.Name)).OrderByDescending(g => g.Count()))
            output.WriteLine($"{group.Count(),5} root spans: {group.Key.Service} {group.Key.Scope} \"{group.Key.Name}\"");
        output.WriteLine($"{roots.Length} root spans in {(to - from).TotalSeconds:F1} s");
        // Work left over from earlier tests may still run (a due credential checked, a request): that is work, and
        // is allowed. Nothing else may start a trace: no database or Redis call, no loop going round empty.
        var polling = roots.Where(s => !IsWork(s)).ToArray();
        Assert.True(polling.Length == 0, "Root spans from idle polling:\n" + string.Join('\n', polling.Take(20).Select(s => s.ToString())));
    }

    [Fact]
    public void A_first_start_logs_no_error_and_each_service_is_healthy_from_its_first_answer()
    {
        foreach (var entry in fixture.ResourceHistory.Where(e => AppHostFixture.Services.Contains(e.Resource)))
            output.WriteLine(entry.ToString());

        // The migration's probe of the history table, a worker's loops warming up, a DbContext check cancelled by a
        // cold start: each was an error in the log of a clean first start.
        var errors = fixture.Telemetry.Logs.Where(l => l.IsError && l.Time <= fixture.ReadyAt).ToArray();
        Assert.True(errors.Length == 0, "Errors logged during the first start:\n" + string.Join('\n', errors.Select(e => e.ToString())));

        // The AppHost marks a resource Unhealthy from the moment its process runs until a probe succeeds: before any
        // report, and while the probe gets no answer (refused, or timed out at the AppHost's proxy while the process
        // starts). What must not happen is an answer that says unhealthy (a 503 from a check failing while warming up).
        string[] noAnswer = ["refused", "timed out", "Failed to connect"];
        var answeredUnhealthy = fixture.ResourceHistory
            .Where(e => AppHostFixture.Services.Contains(e.Resource) && e.Health == HealthStatus.Unhealthy && e.At <= fixture.ReadyAt)
            .Where(e => e.Failures.Length > 0 && !noAnswer.Any(n => e.Failures.Contains(n, StringComparison.OrdinalIgnoreCase)))
            .ToArray();
        Assert.True(answeredUnhealthy.Length == 0, "A service answered its probe unhealthy while starting:\n" + string.Join('\n', answeredUnhealthy.Select(e => e.ToString())));
    }

    [Fact]
    public async Task Health_probes_without_a_key_log_nothing_and_a_route_without_one_still_answers_api_key_missing()
    {
        var from = DateTimeOffset.UtcNow;
        foreach (var path in new[] { "/health", "/alive", "/health", "/alive" })
        {
            using var probe = await fixture.Api.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }
        // A wrong key is a failed authentication and is logged: once that line is in, the probes' lines would be too.
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/client"))
        {
            wrong.Headers.Add("X-Api-Key", "orb_not_a_key");
            using var rejected = await fixture.Api.SendAsync(wrong);
            await ApiProblem.AssertAsync(rejected, HttpStatusCode.Unauthorized, "api_key_invalid");
        }
        await Eventually.TrueAsync(() => ApiAuthLogs(from).Any(l => l.Body.Contains("api_key_invalid", StringComparison.Ordinal)), "the wrong key's log line", TimeSpan.FromSeconds(30));

        var missing = ApiAuthLogs(from).Where(l => l.Body.Contains("api_key_missing", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "Probes without a key were logged:\n" + string.Join('\n', missing.Select(l => l.ToString())));
        using var withoutKey = await fixture.Api.GetAsync("/v1/client");
        await ApiProblem.AssertAsync(withoutKey, HttpStatusCode.Unauthorized, "api_key_missing");
    }

    private IEnumerable<CollectedLog> ApiAuthLogs(DateTimeOffset from) =>
        fixture.Telemetry.Logs.Where(l => l.Service == "api" && l.Time >= from && l.Category.Contains("Authentication", StringComparison.Ordinal));

    /// <summary>
    /// A root span that is a unit of work: an incoming request (a server span), or a refresh pass that claimed
    /// credentials. Everything Orbyt does for a publication is inside the request's trace and is never a root.
    /// </summary>
    private static bool IsWork(CollectedSpan span) =>
        span.Kind == 2 || (span.Name == "Refresh pass" && span.Tag("orbyt.claimed") is { } claimed && claimed != "0");

    private static async Task<long> ReadGroupCallsAsync(IServer server)
    {
        var info = await server.InfoAsync("commandstats");
        var line = info.SelectMany(g => g).FirstOrDefault(kv => kv.Key.Equals("cmdstat_xreadgroup", StringComparison.OrdinalIgnoreCase));
        // calls=123,usec=…
        return line.Value is { } value ? long.Parse(value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
