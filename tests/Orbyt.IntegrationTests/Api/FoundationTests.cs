using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace Orbyt.IntegrationTests.Api;

[Collection(AppHostCollection.Name)]
public sealed class FoundationTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Every_resource_is_healthy_after_start()
    {
        foreach (var name in AppHostFixture.Services.Concat(["redis", "postgres", "orbyt"]))
        {
            Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState(name, out var state), name);
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
        Assert.True(fixture.App.ResourceNotifications.TryGetCurrentState("migrations", out var migrations));
        Assert.Equal(KnownResourceStates.Finished, migrations.Snapshot.State?.Text);
        Assert.Equal(0, migrations.Snapshot.ExitCode);
    }

    [Fact]
    public async Task A_request_without_a_key_is_a_401_problem_with_its_code()
    {
        using var response = await fixture.Api.GetAsync("/v1/client");

        await ApiProblem.AssertAsync(response, HttpStatusCode.Unauthorized, "api_key_missing");
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("orb_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")]
    public async Task A_request_with_a_wrong_key_is_a_401_problem(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/client");
        request.Headers.Add("X-Api-Key", key);
        using var response = await fixture.Api.SendAsync(request);

        await ApiProblem.AssertAsync(response, HttpStatusCode.Unauthorized, "api_key_invalid");
    }

    [Fact]
    public async Task The_bootstrap_key_authenticates_as_the_admin_client()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/client");
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var response = await fixture.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("bootstrap", body.GetProperty("name").GetString());
        Assert.True(body.GetProperty("is_admin").GetBoolean());
    }

    [Fact]
    [Trait("Redis", "Cluster")]
    public async Task A_created_key_works_until_it_is_revoked()
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys") { Content = JsonContent.Create(new { name = "ci" }) };
        create.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var created = await fixture.Api.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>();
        var plaintext = key.GetProperty("key").GetString()!;

        using (var withNewKey = new HttpRequestMessage(HttpMethod.Get, "/v1/client"))
        {
            withNewKey.Headers.Add("X-Api-Key", plaintext);
            using var ok = await fixture.Api.SendAsync(withNewKey);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/v1/api-keys/{key.GetProperty("id").GetString()}");
        revoke.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var revoked = await fixture.Api.SendAsync(revoke);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        using var afterRevoke = new HttpRequestMessage(HttpMethod.Get, "/v1/client");
        afterRevoke.Headers.Add("X-Api-Key", plaintext);
        using var rejected = await fixture.Api.SendAsync(afterRevoke);
        await ApiProblem.AssertAsync(rejected, HttpStatusCode.Unauthorized, "api_key_revoked");
    }

    [Fact]
    [Trait("Redis", "Cluster")]
    public async Task A_revocation_is_broadcast_to_every_replica_and_a_replica_hearing_one_drops_the_key_at_once()
    {
        // Replicas cache a key's row for 10 s (docs/decisions.md); revocations travel on this channel.
        var channel = RedisChannel.Literal("orbyt:api-keys:revoked");
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis"))!);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await redis.GetSubscriber().SubscribeAsync(channel, (_, message) => heard.Enqueue(message.ToString()));

        // Revoked through the API: the serving replica tells the others.
        var (revokedId, revokedKeyId, _) = await CreateKeyAsync("broadcast");
        using (var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/v1/api-keys/{revokedId}"))
        {
            revoke.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
            using var revoked = await fixture.Api.SendAsync(revoke);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        // Revoked by another replica (its commit, then its broadcast): this API has the key cached and drops it on hearing.
        var (otherId, otherKeyId, plaintext) = await CreateKeyAsync("cached");
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(plaintext));
        await using (var db = TestDatabase.Open(fixture))
            await db.ApiKeys.Where(k => k.Id == Guid.Parse(otherId)).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow));
        var servedFromCache = await StatusWithKeyAsync(plaintext);
        var listeners = await redis.GetSubscriber().PublishAsync(channel, otherKeyId);
        var afterBroadcast = HttpStatusCode.OK;
        for (var i = 0; i < 50 && afterBroadcast == HttpStatusCode.OK; i++)
        {
            // The API handles the message on its own connection, shortly after PUBLISH returns.
            if (i > 0) await Task.Delay(100);
            afterBroadcast = await StatusWithKeyAsync(plaintext);
        }

        Assert.Contains(revokedKeyId, heard);
        Assert.Equal(HttpStatusCode.OK, servedFromCache);
        // PUBLISH counts the subscribers on the node it reached; in a Redis Cluster subscribers on the other nodes hear it over the cluster bus.
        if (!redis.GetServers().Any(server => server.ServerType == ServerType.Cluster))
            Assert.True(listeners >= 2, $"{listeners} subscribers: the API and this test");
        Assert.Equal(HttpStatusCode.Unauthorized, afterBroadcast);
    }

    private async Task<(string Id, string KeyId, string Plaintext)> CreateKeyAsync(string name)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys") { Content = JsonContent.Create(new { name }) };
        create.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var created = await fixture.Api.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (key.GetProperty("id").GetString()!, key.GetProperty("key_id").GetString()!, key.GetProperty("key").GetString()!);
    }

    private async Task<HttpStatusCode> StatusWithKeyAsync(string plaintext)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/client");
        request.Headers.Add("X-Api-Key", plaintext);
        using var response = await fixture.Api.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task The_error_catalog_is_public_and_lists_codes_with_their_flags()
    {
        var catalog = await fixture.Api.GetFromJsonAsync<JsonElement>("/v1/errors");

        var entries = catalog.GetProperty("data").EnumerateArray().ToArray();
        Assert.True(entries.Length >= 30);
        var missing = entries.Single(e => e.GetProperty("code").GetString() == "api_key_missing");
        Assert.Equal(401, missing.GetProperty("status").GetInt32());
        Assert.False(missing.GetProperty("retryable").GetBoolean());
        Assert.False(missing.GetProperty("reauth_required").GetBoolean());
        Assert.Contains(entries, e => e.GetProperty("code").GetString() == "reauth_required" && e.GetProperty("reauth_required").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        using var response = await fixture.Api.GetAsync("/v1/does-not-exist");

        await ApiProblem.AssertAsync(response, HttpStatusCode.NotFound, "route_not_found");
    }

    [Fact]
    public async Task Invalid_json_is_a_400_problem_not_a_500()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys")
        {
            Content = new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var response = await fixture.Api.SendAsync(request);

        await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task A_validation_failure_names_the_field()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/api-keys") { Content = JsonContent.Create(new { name = "" }) };
        request.Headers.Add("X-Api-Key", fixture.BootstrapApiKey);
        using var response = await fixture.Api.SendAsync(request);

        var problem = await ApiProblem.AssertAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task The_openapi_document_is_served()
    {
        var document = await fixture.Api.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/v1/errors", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }
}
