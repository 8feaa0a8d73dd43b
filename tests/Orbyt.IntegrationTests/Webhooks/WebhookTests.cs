using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Data;
using Orbyt.Core.Credentials;
using Orbyt.Core.Jobs;
using Orbyt.Core.Webhooks;
using Orbyt.Core.Webhooks.Events;

namespace Orbyt.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks end to end: the real API and Uploader (dispatcher) of the shared AppHost, real Postgres, and a real
/// Kestrel receiver in the test that verifies every delivery with the StandardWebhooks library. Each test works in
/// an API client of its own so that events of one test never reach another's receiver.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class WebhookTests(AppHostFixture fixture)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_test_event_reaches_a_verifying_receiver_with_the_standard_webhooks_headers()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await CreateEndpointAsync(client, receiver.Url(), description: "orbyt backend");
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;

        var test = await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test");
        Assert.Equal(HttpStatusCode.Accepted, test.Status);
        var deliveryId = test.Body.GetProperty("delivery_id").GetString()!;

        await EventuallyAsync(() => receiver.Received.Count == 1, "the test event");
        var received = receiver.Received.Single();
        Assert.True(received.Verified);
        Assert.Equal(deliveryId, received.Id);
        Assert.Equal("webhook.test", received.Type);
        Assert.Equal(Id(endpoint), received.Json.GetProperty("data").GetProperty("webhook_endpoint_id").GetString());
        Assert.True(received.Json.TryGetProperty("timestamp", out _));
        Assert.InRange(long.Parse(received.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());

        var delivery = await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("last_response_code").GetInt32());
        Assert.Equal("webhook.test", delivery.GetProperty("type").GetString());
        Assert.Equal(test.Body.GetProperty("event_id").GetString(), delivery.GetProperty("event_id").GetString());
        Assert.False(delivery.GetProperty("completed_at").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_receiver_answering_500_then_200_gets_the_event_exactly_once_with_the_same_webhook_id()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(500);
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;

        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;

        var delivery = await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("last_response_code").GetInt32());
        var received = receiver.Received.ToArray();
        Assert.Equal([500, 200], received.Select(r => r.AnsweredWith));
        Assert.All(received, r => Assert.Equal(deliveryId, r.Id));
        Assert.All(received, r => Assert.True(r.Verified));
        Assert.Single(received, r => r.AnsweredWith == 200);
    }

    [Fact]
    public async Task A_retry_after_from_the_receiver_postpones_the_next_attempt()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(503);
        receiver.ErrorHeaders["Retry-After"] = "4";
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;

        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;

        await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "succeeded");
        var received = receiver.Received.ToArray();
        Assert.Equal(2, received.Length);
        // The schedule says 1 s; the receiver asked for 4 s.
        Assert.True(long.Parse(received[1].Timestamp) - long.Parse(received[0].Timestamp) >= 3);
    }

    [Fact]
    public async Task A_receiver_that_is_down_while_the_uploader_restarts_still_gets_the_event_afterwards()
    {
        var client = await NewClientAsync();
        var port = WebhookReceiver.FreePort();
        var endpoint = await CreateEndpointAsync(client, $"http://127.0.0.1:{port}/hooks");
        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;
        var failed = await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("attempts").GetInt32() >= 1);
        Assert.Equal("pending", failed.GetProperty("status").GetString());
        Assert.StartsWith("connection failed", failed.GetProperty("last_error").GetString());

        await new ResourceControl(fixture.App).RestartAsync("uploader");

        await using var receiver = await WebhookReceiver.StartAsync(port);
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;
        await EventuallyAsync(() => receiver.Received.Count > 0, "the delivery after the restart", TimeSpan.FromSeconds(90));
        var received = receiver.Received.First();
        Assert.True(received.Verified);
        Assert.Equal(deliveryId, received.Id);
        await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "succeeded");
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_re_enabling_clears_the_reason()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(410);
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;

        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;

        var disabled = await WaitForEndpointAsync(client, Id(endpoint), e => !e.GetProperty("enabled").GetBoolean());
        Assert.Equal("gone", disabled.GetProperty("disabled_reason").GetString());
        var delivery = await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(410, delivery.GetProperty("last_response_code").GetInt32());
        Assert.Single(receiver.Received);

        var testWhileDisabled = await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test");
        Assert.Equal(HttpStatusCode.Conflict, testWhileDisabled.Status);
        Assert.Equal("webhook_endpoint_disabled", testWhileDisabled.Body.GetProperty("code").GetString());

        var enabled = await SendAsync(client, HttpMethod.Patch, $"/v1/webhooks/{Id(endpoint)}", new { enabled = true });
        Assert.True(enabled.Body.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, enabled.Body.GetProperty("disabled_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, enabled.Body.GetProperty("failing_since").ValueKind);
    }

    [Fact]
    public async Task A_4xx_refusal_is_not_retried_the_endpoint_stays_enabled_and_a_resend_after_the_fix_succeeds()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        // The receiver does not know the secret yet: it refuses the signature with 401, as the Supabase function does.
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;

        var refused = await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() != "pending");
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.Equal(1, refused.GetProperty("attempts").GetInt32());
        Assert.Equal(401, refused.GetProperty("last_response_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, refused.GetProperty("next_attempt_at").ValueKind);
        var stillEnabled = await SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{Id(endpoint)}");
        Assert.True(stillEnabled.Body.GetProperty("enabled").GetBoolean());

        // Fixed on the receiver's side: a resend (same webhook-id) is verified and succeeds.
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;
        var resend = await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/deliveries/{deliveryId}/resend");
        Assert.Equal(HttpStatusCode.Accepted, resend.Status);
        await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "succeeded");
        Assert.Contains(receiver.Received, r => r.Id == deliveryId && r.Verified);
        Assert.Equal(2, receiver.Received.Count(r => r.Id == deliveryId));
    }

    [Fact]
    public async Task An_endpoint_failing_for_five_days_is_disabled_and_the_api_says_why()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(500, 500, 500);
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;
        // Five days cannot pass in a test: start the endpoint's failure streak in the past instead.
        await using (var db = OpenDatabase())
        {
            var id = Guid.Parse(Id(endpoint));
            await db.WebhookEndpoints.Where(e => e.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, DateTimeOffset.UtcNow.AddDays(-5).AddMinutes(-1)));
        }

        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;

        var disabled = await WaitForEndpointAsync(client, Id(endpoint), e => !e.GetProperty("enabled").GetBoolean());
        Assert.Equal("failing", disabled.GetProperty("disabled_reason").GetString());
        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("failing_since").ValueKind);
        var delivery = await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal("endpoint disabled (failing)", delivery.GetProperty("last_error").GetString());
    }

    [Fact]
    public async Task During_a_rotation_both_the_old_and_the_new_secret_verify_the_same_delivery()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        var oldSecret = endpoint.GetProperty("secret").GetString()!;

        var rotated = await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/rotate-secret");
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        var newSecret = rotated.Body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", newSecret);
        Assert.NotEqual(oldSecret, newSecret);
        var overlapEnds = rotated.Body.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        Assert.InRange(overlapEnds, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        receiver.Secrets["old"] = oldSecret;
        receiver.Secrets["new"] = newSecret;

        await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test");

        await EventuallyAsync(() => receiver.Received.Count == 1, "the test event");
        var received = receiver.Received.Single();
        Assert.Equal(["new", "old"], received.VerifiedWith.Order());
        Assert.Equal(2, received.Signature.Split(' ').Distinct().Count());
    }

    [Fact]
    public async Task The_secret_is_shown_on_create_and_rotate_only()
    {
        var client = await NewClientAsync();
        var endpoint = await CreateEndpointAsync(client, "http://127.0.0.1:9/hooks");

        var fetched = await SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{Id(endpoint)}");
        var listed = await SendAsync(client, HttpMethod.Get, "/v1/webhooks");

        Assert.False(fetched.Body.TryGetProperty("secret", out _));
        Assert.All(listed.Body.GetProperty("data").EnumerateArray(), e => Assert.False(e.TryGetProperty("secret", out _)));
        await using var db = OpenDatabase();
        var id = Guid.Parse(Id(endpoint));
        var stored = await db.WebhookEndpoints.SingleAsync(e => e.Id == id);
        Assert.DoesNotContain(endpoint.GetProperty("secret").GetString()!, System.Text.Encoding.UTF8.GetString(stored.SecretCiphertext));
    }

    [Fact]
    public async Task An_endpoint_receives_only_the_event_types_it_subscribed_to()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var filtered = await CreateEndpointAsync(client, receiver.Url("/filtered"), events: ["job.published"]);
        var everything = await CreateEndpointAsync(client, receiver.Url("/all"));
        receiver.Secrets["filtered"] = filtered.GetProperty("secret").GetString()!;
        receiver.Secrets["all"] = everything.GetProperty("secret").GetString()!;
        Assert.Equal(["job.published"], filtered.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        await EmitAsync(client.Id, WebhookEventTypes.JobFailed, SampleJobData("failed"));
        await EmitAsync(client.Id, WebhookEventTypes.JobPublished, SampleJobData("published"));

        await EventuallyAsync(() => receiver.Received.Count(r => r.Path == "/all") == 2 && receiver.Received.Any(r => r.Path == "/filtered"), "the deliveries");
        Assert.All(receiver.Received, r => Assert.True(r.Verified));
        Assert.Equal(["job.published"], receiver.Received.Where(r => r.Path == "/filtered").Select(r => r.Type));
        Assert.Equal(["filtered"], receiver.Received.Single(r => r.Path == "/filtered").VerifiedWith);
        var toFiltered = await SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{Id(filtered)}/deliveries");
        Assert.Equal(["job.published"], toFiltered.Body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Every_event_type_is_delivered_signed_and_verified_including_to_a_callback_url()
    {
        // The emitting features (publishing, token refresh, parts of OAuth) are not all built yet: the events are
        // written through the same transactional outbox helper they will use.
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["endpoint"] = endpoint.GetProperty("secret").GetString()!;

        await EmitAsync(client.Id, WebhookEventTypes.JobPublished, SampleJobData("published"), callbackUrl: receiver.Url("/callback?token=abc"));
        await EmitAsync(client.Id, WebhookEventTypes.JobFailed, SampleJobData("failed"));
        await EmitAsync(client.Id, WebhookEventTypes.PublicationCompleted, new PublicationCompletedData(Guid.NewGuid(), "user-1", null, 0, 0, 0, []));
        foreach (var type in new[] { WebhookEventTypes.ConnectionConnected, WebhookEventTypes.ConnectionReauthRequired, WebhookEventTypes.ConnectionExpiring, WebhookEventTypes.ConnectionRevoked })
            await EmitAsync(client.Id, type, SampleConnectionData(type));

        var expected = new[]
        {
            "job.published", "job.failed", "publication.completed", "connection.connected",
            "connection.reauth_required", "connection.expiring", "connection.revoked",
        };
        await EventuallyAsync(() => receiver.Received.Count(r => r.Path == "/hooks") >= expected.Length && receiver.Received.Any(r => r.Path == "/callback"), "every event type");
        var atEndpoint = receiver.Received.Where(r => r.Path == "/hooks").ToArray();
        Assert.Equal(expected.Order(), atEndpoint.Select(r => r.Type).Order());
        Assert.All(receiver.Received, r => Assert.True(r.Verified, $"{r.Type} at {r.Path} did not verify"));
        Assert.Equal(atEndpoint.Length, atEndpoint.Select(r => r.Id).Distinct().Count());
        var callback = receiver.Received.Single(r => r.Path == "/callback");
        Assert.Equal("job.published", callback.Type);
        Assert.NotEqual(atEndpoint.Single(r => r.Type == "job.published").Id, callback.Id);
        var published = atEndpoint.Single(r => r.Type == "job.published").Json.GetProperty("data");
        Assert.Equal("published", published.GetProperty("job").GetProperty("status").GetString());
        var reauth = atEndpoint.Single(r => r.Type == "connection.reauth_required").Json.GetProperty("data");
        Assert.Equal("reauth_required", reauth.GetProperty("connection").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Another_clients_endpoints_are_404_and_its_events_never_cross_over()
    {
        var alice = await NewClientAsync();
        var bob = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var aliceEndpoint = await CreateEndpointAsync(alice, receiver.Url("/alice"));
        var bobEndpoint = await CreateEndpointAsync(bob, receiver.Url("/bob"));
        receiver.Secrets["alice"] = aliceEndpoint.GetProperty("secret").GetString()!;
        receiver.Secrets["bob"] = bobEndpoint.GetProperty("secret").GetString()!;
        var aliceId = Id(aliceEndpoint);

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, $"/v1/webhooks/{aliceId}", null),
            (HttpMethod.Patch, $"/v1/webhooks/{aliceId}", new { enabled = false }),
            (HttpMethod.Post, $"/v1/webhooks/{aliceId}/test", null),
            (HttpMethod.Post, $"/v1/webhooks/{aliceId}/rotate-secret", null),
            (HttpMethod.Get, $"/v1/webhooks/{aliceId}/deliveries", null),
            (HttpMethod.Post, $"/v1/webhooks/{aliceId}/deliveries/{Guid.NewGuid()}/resend", null),
            (HttpMethod.Delete, $"/v1/webhooks/{aliceId}", null),
        })
        {
            var response = await SendAsync(bob, method, path, body);
            Assert.Equal(HttpStatusCode.NotFound, response.Status);
            Assert.Equal("not_found", response.Body.GetProperty("code").GetString());
        }
        var bobsList = await SendAsync(bob, HttpMethod.Get, "/v1/webhooks");
        Assert.Equal([Id(bobEndpoint)], bobsList.Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));

        await EmitAsync(alice.Id, WebhookEventTypes.ConnectionConnected, SampleConnectionData(WebhookEventTypes.ConnectionConnected));

        await EventuallyAsync(() => receiver.Received.Count == 1, "alice's event");
        var received = receiver.Received.Single();
        Assert.Equal("/alice", received.Path);
        Assert.Equal(["alice"], received.VerifiedWith);
        // Fan-out creates every delivery of an event in one transaction: none exists for bob's endpoint.
        var bobsDeliveries = await SendAsync(bob, HttpMethod.Get, $"/v1/webhooks/{Id(bobEndpoint)}/deliveries");
        Assert.Empty(bobsDeliveries.Body.GetProperty("data").EnumerateArray());
        Assert.True((await SendAsync(alice, HttpMethod.Get, $"/v1/webhooks/{aliceId}")).Body.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_delivery_can_be_resent_with_the_same_webhook_id()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;
        var deliveryId = (await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!;
        await WaitForDeliveryAsync(client, Id(endpoint), deliveryId, d => d.GetProperty("status").GetString() == "succeeded");

        var resend = await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/deliveries/{deliveryId}/resend");

        Assert.Equal(HttpStatusCode.Accepted, resend.Status);
        Assert.Equal("pending", resend.Body.GetProperty("status").GetString());
        await EventuallyAsync(() => receiver.Received.Count == 2, "the resent delivery");
        Assert.All(receiver.Received, r => Assert.Equal(deliveryId, r.Id));
        Assert.All(receiver.Received, r => Assert.True(r.Verified));
    }

    [Fact]
    public async Task The_delivery_log_pages_from_newest_to_oldest()
    {
        var client = await NewClientAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await CreateEndpointAsync(client, receiver.Url());
        receiver.Secrets["current"] = endpoint.GetProperty("secret").GetString()!;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await SendAsync(client, HttpMethod.Post, $"/v1/webhooks/{Id(endpoint)}/test")).Body.GetProperty("delivery_id").GetString()!);

        var first = await SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{Id(endpoint)}/deliveries?limit=2");
        var next = first.Body.GetProperty("next_before").GetString();
        var second = await SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{Id(endpoint)}/deliveries?limit=2&before={next}");

        Assert.True(first.Body.GetProperty("has_more").GetBoolean());
        Assert.False(second.Body.GetProperty("has_more").GetBoolean());
        var paged = first.Body.GetProperty("data").EnumerateArray().Concat(second.Body.GetProperty("data").EnumerateArray())
            .Select(d => d.GetProperty("id").GetString()).ToArray();
        Assert.Equal(ids.AsEnumerable().Reverse(), paged);
    }

    [Theory]
    [InlineData("http://hooks.example.com/orbyt", "webhook_url_invalid")]
    [InlineData("ftp://hooks.example.com/orbyt", "webhook_url_invalid")]
    [InlineData("https://user:pw@hooks.example.com/orbyt", "webhook_url_invalid")]
    [InlineData("https://10.0.0.5/orbyt", "webhook_address_forbidden")]
    [InlineData("https://169.254.169.254/latest/meta-data", "webhook_address_forbidden")]
    [InlineData("https://[::ffff:192.168.0.1]/orbyt", "webhook_address_forbidden")]
    [InlineData("https://[fd00::1]/orbyt", "webhook_address_forbidden")]
    public async Task Urls_that_are_not_https_or_reach_internal_addresses_are_refused(string url, string code)
    {
        var client = await NewClientAsync();

        var response = await SendAsync(client, HttpMethod.Post, "/v1/webhooks", new { url });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(code, response.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unknown_event_types_in_the_filter_are_a_validation_error()
    {
        var client = await NewClientAsync();

        var response = await SendAsync(client, HttpMethod.Post, "/v1/webhooks", new { url = "http://127.0.0.1:9/hooks", events = new[] { "job.exploded" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("validation_failed", response.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_deleted_endpoint_is_gone_from_the_api()
    {
        var client = await NewClientAsync();
        var endpoint = await CreateEndpointAsync(client, "http://127.0.0.1:9/hooks");

        var deleted = await SendAsync(client, HttpMethod.Delete, $"/v1/webhooks/{Id(endpoint)}");
        var fetched = await SendAsync(client, HttpMethod.Get, $"/v1/webhooks/{Id(endpoint)}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, fetched.Status);
    }

    // ---- helpers ----

    private sealed record TestClient(Guid Id, string ApiKey);

    private sealed record ApiResult(HttpStatusCode Status, JsonElement Body);

    private async Task<TestClient> NewClientAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/clients") { Content = JsonContent.Create(new { name = "webhooks-" + Guid.NewGuid().ToString("N")[..8] }) };
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var response = await fixture.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new TestClient(body.GetProperty("client").GetProperty("id").GetGuid(), body.GetProperty("api_key").GetProperty("key").GetString()!);
    }

    private async Task<ApiResult> SendAsync(TestClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", client.ApiKey);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        using var response = await fixture.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResult(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> CreateEndpointAsync(TestClient client, string url, string[]? events = null, string? description = null)
    {
        var created = await SendAsync(client, HttpMethod.Post, "/v1/webhooks", new { url, events, description });
        Assert.True(created.Status == HttpStatusCode.Created, created.Body.ToString());
        Assert.StartsWith("whsec_", created.Body.GetProperty("secret").GetString());
        return created.Body;
    }

    private static string Id(JsonElement endpoint) => endpoint.GetProperty("id").GetString()!;

    private Task<JsonElement> WaitForDeliveryAsync(TestClient client, string endpointId, string deliveryId, Func<JsonElement, bool> condition) =>
        AsClient(client).WaitForDeliveryAsync(endpointId, deliveryId, condition, DeliveryTimeout);

    private Task<JsonElement> WaitForEndpointAsync(TestClient client, string endpointId, Func<JsonElement, bool> condition) =>
        AsClient(client).WaitForEndpointAsync(endpointId, condition, DeliveryTimeout);

    /// <summary>The scenario steps as this client; webhook steps need no end user.</summary>
    private Scenario AsClient(TestClient client) => new(fixture, new ApiCaller(fixture.Api, client.ApiKey), userId: "webhooks");

    private static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(condition, what, timeout ?? DeliveryTimeout);

    private OrbytDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention().Options);

    /// <summary>Writes an event through the transactional outbox helper, as the emitting features do.</summary>
    private async Task EmitAsync<TData>(Guid clientId, string type, TData data, string? callbackUrl = null) where TData : IWebhookEventData
    {
        await using var db = OpenDatabase();
        WebhookOutbox.Add(db, clientId, type, data, DateTimeOffset.UtcNow, callbackUrl);
        await db.SaveChangesAsync();
    }

    private static JobEventData SampleJobData(string status)
    {
        var now = DateTimeOffset.UtcNow;
        var job = new JobResponse(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "user-1", "instagram", status, null,
            new JobProgress(null, null), 1, null,
            status == "published" ? new JobResult("17890000000000001", "https://www.instagram.com/p/abc/", null, []) : null,
            status == "failed" ? new JobError("platform_rejected", "The platform rejected this post.", false, false, null) : null,
            null, now, now, now, 2);
        return new JobEventData(job, job.PublicationId);
    }

    private static ConnectionEventData SampleConnectionData(string type) => new(new ConnectionResponse(
        Guid.NewGuid(), "user-1", "youtube", "google", new AccountResponse("UC123", "Channel", "@channel", null),
        type switch
        {
            WebhookEventTypes.ConnectionReauthRequired => "reauth_required",
            WebhookEventTypes.ConnectionRevoked => "revoked",
            _ => "active",
        },
        ["https://www.googleapis.com/auth/youtube.upload"], DateTimeOffset.UtcNow.AddDays(3), null, DateTimeOffset.UtcNow,
        type == WebhookEventTypes.ConnectionReauthRequired ? "invalid_grant" : null));
}
