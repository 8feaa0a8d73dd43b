using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orbyt.IntegrationTests.Webhooks;
using Xunit.Abstractions;

namespace Orbyt.IntegrationTests.Observability;

/// <summary>
/// One publication is one trace (issue 16, item 11), as the services export it: the API request, the stream entry,
/// every step of the job — also the steps after a wait, which the reconciler queues again — and every webhook delivery
/// the publication causes share the request's trace id, and carry the job id as a tag.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PublicationTraceTests(AppHostFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_step_and_every_webhook_delivery_of_a_publication_is_in_the_trace_of_its_request()
    {
        // A client of its own, so its webhook endpoint hears only this test's events.
        var admin = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        var client = await admin.JsonAsync(HttpMethod.Post, "/v1/clients", new { name = "trace-" + Guid.NewGuid().ToString("N")[..8], allowed_return_urls = new[] { Scenario.ReturnPrefix } }, HttpStatusCode.Created);
        var api = new ApiCaller(fixture.Api, client.GetProperty("api_key").GetProperty("key").GetString()!);
        using var scenario = new Scenario(fixture, api, "trace-" + Guid.NewGuid().ToString("N")[..8]);
        var channel = await scenario.ConnectNewAccountAsync("youtube");
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await api.JsonAsync(HttpMethod.Post, "/v1/webhooks", new { url = receiver.Url(), description = "trace" }, HttpStatusCode.Created);
        receiver.Secrets["endpoint"] = endpoint.GetProperty("secret").GetString()!;

        // A YouTube upload: the video is then processed on the sandbox clock, and each look at it is a step of its own,
        // after a wait (platform_processing), queued by the reconciler — the step that used to start a trace of its own.
        // (An Instagram reel can finish its container within the first step.)
        using var assetResponse = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/mux/assets", new { size_bytes = 3 * 1024 * 1024 + 12345, ready_after_seconds = 0 });
        var videoUrl = (await assetResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;

        // The request's trace: the test is the caller, so it picks the trace id (traceparent) the API continues.
        JsonElement created;
        string traceId;
        using (var caller = new Activity("test: create publication").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            traceId = caller.TraceId.ToHexString();
            created = await api.JsonAsync(HttpMethod.Post, "/v1/publications", new
            {
                user_id = scenario.UserId, targets = new[] { new { connection_id = channel.ConnectionId } },
                media = new { type = "video", url = videoUrl }, title = "one trace",
            }, HttpStatusCode.Accepted);
        }
        var publicationId = created.GetProperty("id").GetString()!;
        var jobId = created.GetProperty("jobs")[0].GetProperty("id").GetString()!;

        var publication = await scenario.WaitForPublicationAsync(publicationId, clock: SandboxClockMove.EveryPoll, poll: TimeSpan.FromMilliseconds(500));
        Assert.Equal("published", publication.GetProperty("status").GetString());
        await Eventually.TrueAsync(() => receiver.Received.Any(r => r.Type == "publication.completed"), "publication.completed delivered", Scenario.DeliveryTimeout);

        // The spans arrive in export batches: wait for both deliveries' spans, then look at everything of the job.
        CollectedSpan[] Deliveries() => fixture.Telemetry.Spans.Where(s => s.Name == "webhook deliver" && s.Tag("orbyt.publication.id") == publicationId).ToArray();
        await Eventually.TrueAsync(() => Deliveries().Length >= 2, "the two webhook deliveries' spans", TimeSpan.FromSeconds(30));
        var jobSpans = fixture.Telemetry.Spans.Where(s => s.Tag("orbyt.job.id") == jobId).ToArray();
        var trace = fixture.Telemetry.Spans.Where(s => s.TraceId == traceId).ToArray();
        foreach (var span in trace.OrderBy(s => s.Start))
            output.WriteLine($"{span.Start:HH:mm:ss.fff} {span.Service,-16} {span.Name} {span.Tag("orbyt.job.id")}");

        Assert.Contains(trace, s => s.Service == "api" && s.Kind == 2 && s.Tag("http.route") is { } route && route.Contains("publications", StringComparison.Ordinal));
        var steps = jobSpans.Where(s => s.Name == "orbyt:jobs process").ToArray();
        Assert.True(steps.Length >= 2, $"Expected the first step and at least one after the wait, saw {steps.Length}.");
        // A step after the wait was queued by the reconciler (the uploader's own publish), in the same trace.
        Assert.Contains(jobSpans, s => s.Name == "orbyt:jobs publish" && s.Service == "uploader");
        var elsewhere = jobSpans.Where(s => s.TraceId != traceId).ToArray();
        Assert.True(elsewhere.Length == 0, "Spans of the job outside the publication's trace:\n" + string.Join('\n', elsewhere.Select(s => s.ToString())));

        var deliveries = Deliveries();
        Assert.All(deliveries, d => Assert.Equal(traceId, d.TraceId));
        Assert.Contains(deliveries, d => d.Tag("webhook.event_type") == "job.published" && d.Tag("orbyt.job.id") == jobId);
        Assert.Contains(deliveries, d => d.Tag("webhook.event_type") == "publication.completed");
        // Nothing of the publication is a root of its own: the only parent outside the exported spans is the test's.
        var ids = trace.Select(s => s.SpanId).ToHashSet();
        Assert.All(trace, s => Assert.False(s.IsRoot, $"{s} starts a trace of its own"));
        Assert.Single(trace.Where(s => !ids.Contains(s.ParentSpanId!)).Select(s => s.ParentSpanId).Distinct());
    }
}
