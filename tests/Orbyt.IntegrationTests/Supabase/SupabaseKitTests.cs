using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Orbyt.Core.Webhooks;
using Orbyt.Uploader.Webhooks;

namespace Orbyt.IntegrationTests.Supabase;

/// <summary>
/// clients/supabase (docs/supabase.md) beside the AppHost: the Edge Functions orbyt-webhooks and orbyt-publish run
/// unchanged under Deno against their own database in the AppHost's PostgreSQL; the Uploader delivers real webhooks to
/// them. Needs node and npm (the kit's Deno comes from npm).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class SupabaseKitTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(90);
    private SupabaseKit _kit = null!;

    public async Task InitializeAsync() => _kit = await SupabaseKit.CreateAsync(fixture);

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task A_post_published_twice_through_orbyt_publish_is_one_publication_whose_webhooks_make_the_mirror_match_the_api_and_redeliveries_change_nothing()
    {
        var (api, scenario) = await NewClientAsync("supabase-flow");
        var page = (await scenario.ConnectAsync("facebook"))[0];
        var (endpointId, secret, port) = await RegisterEndpointAsync(api);
        var webhooks = await _kit.StartAsync("orbyt-webhooks", new() { ["ORBYT_WEBHOOK_SECRET"] = secret }, port);
        var publish = await _kit.StartAsync("orbyt-publish", new()
        {
            ["ORBYT_API_URL"] = fixture.Api.BaseAddress!.ToString(),
            ["ORBYT_API_KEY"] = api.ApiKey,
        });

        // The same post twice, as a retried Edge Function call would send it: one publication.
        var post = new
        {
            id = "post-" + Guid.NewGuid().ToString("N")[..12],
            user_id = scenario.UserId,
            targets = new[] { page },
            media = new { type = "image", url = new Uri(fixture.Sandbox.BaseAddress!, "_sandbox/media/image.jpg").ToString() },
            caption = "From Supabase",
        };
        using var http = new HttpClient { BaseAddress = publish.Url };
        using var first = await http.PostAsJsonAsync("/", post);
        using var second = await http.PostAsJsonAsync("/", post);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Accepted, $"orbyt-publish: {(int)first.StatusCode} {firstBody}\n{publish.Output}");
        Assert.True(second.IsSuccessStatusCode, await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("idempotent-replayed").Single());
        var publicationId = JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(1, JsonDocument.Parse(firstBody).RootElement.GetProperty("jobs")[0].GetProperty("sequence").GetInt64());
        Assert.Equal(publicationId, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        var listed = await api.JsonAsync(HttpMethod.Get, $"/v1/publications?user_id={scenario.UserId}");
        Assert.Equal([publicationId], listed.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()!));
        Assert.Equal(1, await _kit.CountAsync("select count(*) from orbyt_publications where post_id = $1", post.id));

        // The Uploader publishes and delivers job.published and publication.completed (and connection.connected: the
        // connect's event was fanned out after the endpoint existed); every delivery succeeds.
        static string[] Types(JsonElement[] d) => d.Select(x => x.GetProperty("type").GetString()!).ToArray();
        var deliveries = await WaitForDeliveriesAsync(api, endpointId, d => Types(d).Contains("job.published") && Types(d).Contains("publication.completed")
            && d.All(x => x.GetProperty("status").GetString() == "succeeded"));
        Assert.Equal(["job.published", "publication.completed"], Types(deliveries).Where(t => t != "connection.connected").Order());
        var publication = await api.JsonAsync(HttpMethod.Get, $"/v1/publications/{publicationId}?user_id={scenario.UserId}");
        Assert.Equal("published", publication.GetProperty("status").GetString());
        var mirror = await MirrorAsync(publicationId);
        Assert.Equal(Expected(publication), mirror);
        Assert.Equal(deliveries.Select(d => d.GetProperty("id").GetString()).Order(),
            (await _kit.QueryAsync("select webhook_id from orbyt_webhook_receipts order by webhook_id")).Select(r => (string?)r["webhook_id"]).Order());

        // Forced redelivery of both (same webhook-id, new attempt): answered 2xx, recognised, applied no second time.
        var rows = await RowsAsync(publicationId);
        var firstCompleted = deliveries.ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("completed_at").GetDateTimeOffset());
        foreach (var id in firstCompleted.Keys)
            await api.JsonAsync(HttpMethod.Post, $"/v1/webhooks/{endpointId}/deliveries/{id}/resend", expected: HttpStatusCode.Accepted);
        await WaitForDeliveriesAsync(api, endpointId, d => d.All(x => x.GetProperty("status").GetString() == "succeeded"
            && x.GetProperty("completed_at").GetDateTimeOffset() > firstCompleted[x.GetProperty("id").GetString()!]));
        foreach (var id in firstCompleted.Keys)
            Assert.Contains($"duplicate {id}", webhooks.Output);
        Assert.Equal(rows, await RowsAsync(publicationId));
        Assert.Equal(deliveries.Length, await _kit.CountAsync("select count(*) from orbyt_webhook_receipts"));

        // The sequence is stored, not computed per answer: a lease-only write leaves it, any other change raises it by one.
        var jobId = Guid.Parse(publication.GetProperty("jobs")[0].GetProperty("id").GetString()!);
        var sequence = publication.GetProperty("jobs")[0].GetProperty("sequence").GetInt64();
        Assert.True(sequence > 1, $"a published job has changed since it was queued, yet its sequence is {sequence}");
        await using (var db = TestDatabase.Open(fixture))
        {
            var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
            job.LeaseUntil = DateTimeOffset.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
            Assert.Equal(sequence, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).Sequence);
            job.UpdatedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
            Assert.Equal(sequence + 1, (await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId)).Sequence);
        }
    }

    [Fact]
    public async Task An_out_of_order_pair_keeps_the_newer_state_and_tampered_stale_or_unsigned_deliveries_are_refused_and_not_applied()
    {
        var secret = WebhookSecrets.Generate();
        var webhooks = await _kit.StartAsync("orbyt-webhooks", new() { ["ORBYT_WEBHOOK_SECRET"] = secret });
        using var http = new HttpClient { BaseAddress = webhooks.Url };
        var publicationId = Guid.NewGuid();
        var jobId = Guid.NewGuid();

        // Newer first (published, sequence 5), then the older one (failed, sequence 4): the newer state stays.
        var published = JobEvent("job.published", publicationId, jobId, "published", 5);
        var failed = JobEvent("job.failed", publicationId, jobId, "failed", 4);
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, secret, published));
        var afterNewer = await RowsAsync(publicationId.ToString());
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, secret, failed));
        Assert.Equal(afterNewer, await RowsAsync(publicationId.ToString()));
        Assert.Equal("published", await JobStatusAsync(jobId));
        Assert.Equal(2, await _kit.CountAsync("select count(*) from orbyt_webhook_receipts"));

        // The same pair in order for another job: the later one is applied (the comparison is not simply "first wins").
        var otherJob = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, secret, JobEvent("job.failed", publicationId, otherJob, "failed", 4)));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, secret, JobEvent("job.published", publicationId, otherJob, "published", 5)));
        Assert.Equal("published", await JobStatusAsync(otherJob));

        // Refused with a 4xx, nothing written: a body changed after signing, a stale timestamp, a foreign secret, no signature.
        var before = await RowsAsync(publicationId.ToString());
        var newerStill = JobEvent("job.failed", publicationId, jobId, "failed", 9);
        var refused = new (string What, Func<HttpRequestMessage> Request)[]
        {
            ("tampered body", () => Signed(secret, newerStill, DateTimeOffset.UtcNow, body => body.Replace("\"failed\"", "\"cancelled\""))),
            ("stale timestamp", () => Signed(secret, newerStill, DateTimeOffset.UtcNow.AddMinutes(-10))),
            ("foreign secret", () => Signed(WebhookSecrets.Generate(), newerStill, DateTimeOffset.UtcNow)),
            ("no signature", () => Signed(secret, newerStill, DateTimeOffset.UtcNow, signature: "")),
        };
        foreach (var (what, request) in refused)
        {
            using var response = await http.SendAsync(request());
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
        }
        Assert.Equal(before, await RowsAsync(publicationId.ToString()));
        Assert.Equal(0, await _kit.CountAsync("select count(*) from orbyt_webhook_receipts where webhook_id = $1", newerStill.Id));
        Assert.DoesNotContain(secret, webhooks.Output);

        // The database cannot be written: 5xx (Orbyt retries), and the receipt is not kept, so the retry applies it.
        await _kit.QueryAsync("alter table orbyt_jobs rename to orbyt_jobs_away");
        try
        {
            Assert.Equal(HttpStatusCode.InternalServerError, await SendAsync(http, secret, newerStill));
        }
        finally
        {
            await _kit.QueryAsync("alter table orbyt_jobs_away rename to orbyt_jobs");
        }
        Assert.Equal(0, await _kit.CountAsync("select count(*) from orbyt_webhook_receipts where webhook_id = $1", newerStill.Id));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, secret, newerStill));
        Assert.Equal("failed", await JobStatusAsync(jobId));
    }

    [Fact]
    public async Task Deliveries_stay_verified_through_a_secret_rotation()
    {
        var (api, _) = await NewClientAsync("supabase-rotation");
        var (endpointId, oldSecret, port) = await RegisterEndpointAsync(api);
        var function = await _kit.StartAsync("orbyt-webhooks", new() { ["ORBYT_WEBHOOK_SECRET"] = oldSecret }, port);

        // Rotated at Orbyt: deliveries carry both signatures, so the function still holding the old secret verifies.
        var rotated = await api.JsonAsync(HttpMethod.Post, $"/v1/webhooks/{endpointId}/rotate-secret");
        var newSecret = rotated.GetProperty("secret").GetString()!;
        await SendTestEventAsync(api, endpointId);

        // The function gets the new secret and keeps the old one during the overlap (ORBYT_WEBHOOK_SECRET_PREVIOUS).
        await _kit.StopAsync(function);
        function = await _kit.StartAsync("orbyt-webhooks", new() { ["ORBYT_WEBHOOK_SECRET"] = newSecret, ["ORBYT_WEBHOOK_SECRET_PREVIOUS"] = oldSecret }, port);
        await SendTestEventAsync(api, endpointId);
        using var http = new HttpClient { BaseAddress = function.Url };
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, oldSecret, JobEvent("job.published", Guid.NewGuid(), Guid.NewGuid(), "published", 3)));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(http, newSecret, JobEvent("job.published", Guid.NewGuid(), Guid.NewGuid(), "published", 3)));
        Assert.Equal(2, await _kit.CountAsync("select count(*) from orbyt_webhook_receipts where event_type = 'webhook.test'"));
        Assert.DoesNotContain(newSecret, function.Output);
        Assert.DoesNotContain(oldSecret, function.Output);
    }

    // ---- steps ------------------------------------------------------------------------------------------------------

    private async Task<(ApiCaller Api, Scenario Scenario)> NewClientAsync(string name)
    {
        var admin = new ApiCaller(fixture.Api, fixture.BootstrapApiKey);
        var created = await admin.JsonAsync(HttpMethod.Post, "/v1/clients",
            new { name = name + "-" + Guid.NewGuid().ToString("N")[..8], allowed_return_urls = new[] { Scenario.ReturnPrefix } }, HttpStatusCode.Created);
        var api = new ApiCaller(fixture.Api, created.GetProperty("api_key").GetProperty("key").GetString()!);
        var scenario = new Scenario(fixture, api, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        await scenario.NewIdentityAsync(new { pages = 1, instagram = false });
        return (api, scenario);
    }

    /// <summary>An endpoint at a free local port (the function starts there next); its id and secret.</summary>
    private static async Task<(string Id, string Secret, int Port)> RegisterEndpointAsync(ApiCaller api)
    {
        var port = SupabaseKit.FreePort();
        var endpoint = await api.JsonAsync(HttpMethod.Post, "/v1/webhooks", new { url = $"http://127.0.0.1:{port}/", description = "orbyt-webhooks" }, HttpStatusCode.Created);
        return (endpoint.GetProperty("id").GetString()!, endpoint.GetProperty("secret").GetString()!, port);
    }

    private async Task SendTestEventAsync(ApiCaller api, string endpointId)
    {
        var sent = await api.JsonAsync(HttpMethod.Post, $"/v1/webhooks/{endpointId}/test", expected: HttpStatusCode.Accepted);
        var deliveryId = sent.GetProperty("delivery_id").GetString()!;
        var deliveries = await WaitForDeliveriesAsync(api, endpointId, d => d.Any(x => x.GetProperty("id").GetString() == deliveryId && x.GetProperty("status").GetString() != "pending"));
        var delivery = deliveries.Single(x => x.GetProperty("id").GetString() == deliveryId);
        Assert.True(delivery.GetProperty("status").GetString() == "succeeded", delivery.ToString());
        Assert.Equal(1, await _kit.CountAsync("select count(*) from orbyt_webhook_receipts where webhook_id = $1", deliveryId));
    }

    private static Task<JsonElement[]> WaitForDeliveriesAsync(ApiCaller api, string endpointId, Func<JsonElement[], bool> condition) =>
        Eventually.ReadAsync(
            async () => (await api.JsonAsync(HttpMethod.Get, $"/v1/webhooks/{endpointId}/deliveries?limit=100")).GetProperty("data").EnumerateArray().ToArray(),
            condition, $"deliveries of endpoint {endpointId}", DeliveryTimeout, pollInterval: TimeSpan.FromMilliseconds(500));

    /// <summary>What the mirror must hold for a publication as GET /v1/publications/{id} shows it.</summary>
    private static string Expected(JsonElement publication) => Describe(
        publication.GetProperty("status").GetString(),
        Instant(publication.GetProperty("completed_at")),
        publication.GetProperty("jobs").EnumerateArray().Select(j => string.Join("|",
            j.GetProperty("id").GetString(), j.GetProperty("status").GetString(), Text(j.GetProperty("stage")),
            j.GetProperty("result").ValueKind == JsonValueKind.Null ? "" : Text(j.GetProperty("result").GetProperty("platform_post_id")),
            j.GetProperty("result").ValueKind == JsonValueKind.Null ? "" : Text(j.GetProperty("result").GetProperty("permalink")),
            j.GetProperty("error").ValueKind == JsonValueKind.Null ? "" : Text(j.GetProperty("error").GetProperty("code")),
            j.GetProperty("sequence").GetInt64(), Instant(j.GetProperty("updated_at")), Instant(j.GetProperty("completed_at")))));

    private async Task<string> MirrorAsync(string publicationId)
    {
        var publication = (await _kit.QueryAsync("select status, completed_at from orbyt_publications where id = $1::uuid", publicationId)).Single();
        var jobs = await _kit.QueryAsync(
            "select id, status, stage, platform_post_id, permalink, error_code, sequence, orbyt_updated_at, completed_at from orbyt_jobs where publication_id = $1::uuid",
            publicationId);
        return Describe((string?)publication["status"], Instant(publication["completed_at"]), jobs.Select(j => string.Join("|",
            j["id"], j["status"], j["stage"], j["platform_post_id"], j["permalink"], j["error_code"], j["sequence"], Instant(j["orbyt_updated_at"]), Instant(j["completed_at"]))));
    }

    private static string Describe(string? status, string completedAt, IEnumerable<string> jobs) =>
        $"{status} completed {completedAt}\n" + string.Join("\n", jobs.Order(StringComparer.Ordinal));

    /// <summary>Every mirror row of the publication with its local updated_at: any write, even an unchanged value, shows.</summary>
    private async Task<string> RowsAsync(string publicationId) =>
        string.Join("\n", (await _kit.QueryAsync("select p::text as r from orbyt_publications p where id = $1::uuid union all select j::text from orbyt_jobs j where publication_id = $1::uuid order by 1", publicationId))
            .Select(r => r["r"]));

    private async Task<string?> JobStatusAsync(Guid jobId) =>
        (string?)(await _kit.QueryAsync("select status from orbyt_jobs where id = $1", jobId)).Single()["status"];

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? "" : value.GetString()!;

    /// <summary>Instants to the microsecond (PostgreSQL's precision), in UTC.</summary>
    private static string Instant(object? value) => value switch
    {
        null => "",
        JsonElement { ValueKind: JsonValueKind.Null } => "",
        JsonElement e => Microseconds(e.GetDateTimeOffset()),
        DateTime d => Microseconds(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
        DateTimeOffset d => Microseconds(d),
        _ => value.ToString()!,
    };

    private static string Microseconds(DateTimeOffset value) => new DateTimeOffset(value.UtcTicks - value.UtcTicks % 10, TimeSpan.Zero).ToString("O");

    // ---- hand-made deliveries ---------------------------------------------------------------------------------------

    private sealed record Delivery(string Id, string Body);

    /// <summary>A job event as Orbyt sends it (docs/webhooks.md), for a job in the state given.</summary>
    private static Delivery JobEvent(string type, Guid publicationId, Guid jobId, string status, long sequence)
    {
        var at = DateTimeOffset.UtcNow;
        var job = new JsonObject
        {
            ["id"] = jobId, ["publication_id"] = publicationId, ["connection_id"] = Guid.NewGuid(), ["user_id"] = "supabase-user",
            ["platform"] = "facebook", ["status"] = status, ["stage"] = null,
            ["progress"] = new JsonObject { ["bytes_transferred"] = null, ["bytes_total"] = null },
            ["attempts"] = 1, ["next_attempt_at"] = null,
            ["result"] = status == "published" ? new JsonObject { ["platform_post_id"] = "1_2", ["permalink"] = "https://www.facebook.com/1_2" } : null,
            ["error"] = status == "failed" ? new JsonObject { ["code"] = "platform_rejected", ["message"] = "x", ["retryable"] = false, ["reauth_required"] = false, ["platform"] = null } : null,
            ["transfer_method"] = null, ["created_at"] = at, ["updated_at"] = at.AddSeconds(sequence), ["completed_at"] = at, ["sequence"] = sequence,
        };
        var body = new JsonObject { ["type"] = type, ["timestamp"] = at, ["data"] = new JsonObject { ["job"] = job, ["publication_id"] = publicationId } };
        return new Delivery(Guid.CreateVersion7().ToString(), body.ToJsonString());
    }

    private static HttpRequestMessage Signed(string secret, Delivery delivery, DateTimeOffset timestamp, Func<string, string>? alterBody = null, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(alterBody?.Invoke(delivery.Body) ?? delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString());
        request.Headers.Add("webhook-signature", signature ?? WebhookSigner.Sign(delivery.Id, timestamp, delivery.Body, [secret]));
        return request;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, string secret, Delivery delivery)
    {
        using var response = await http.SendAsync(Signed(secret, delivery, DateTimeOffset.UtcNow));
        return response.StatusCode;
    }
}
