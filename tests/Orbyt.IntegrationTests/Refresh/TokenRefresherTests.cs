using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;
using Orbyt.TokenRefresher;
using Orbyt.TokenRefresher.Scheduling;

namespace Orbyt.IntegrationTests.Refresh;

/// <summary>
/// The token refresher against real Postgres and the sandbox: two test-hosted scheduler replicas (owners
/// "replica-a"/"replica-b") run next to the deployed <c>token-refresher</c> resource, so every assertion holds whichever
/// of them gets to a credential first.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class TokenRefresherTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private Scenario _scenario = null!;
    private ServiceProvider _services = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;
    private RefreshScheduler _replicaA = null!;
    private RefreshScheduler _replicaB = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "refresher");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);

        _services = TestDatabase.WorkerServices(fixture, services => services.AddTokenRefreshScheduler());
        _replicaA = Replica("replica-a");
        _replicaB = Replica("replica-b");
    }

    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_google_token_near_expiry_that_a_queued_job_needs_is_refreshed_before_it_expires_and_the_job_gets_the_new_one()
    {
        var connectionId = await ConnectAsync("youtube");
        await QueueJobAsync(connectionId);
        var nearExpiry = DateTimeOffset.UtcNow.AddMinutes(4);
        var (refreshToken, oldAccessToken) = await UpdateCredentialAsync(connectionId, c =>
        {
            c.AccessTokenExpiresAt = nearExpiry;
            c.NextCheckAt = DateTimeOffset.UtcNow.AddHours(1); // not due by itself: the queued job must pull it forward
        });

        var stored = await EventuallyAsync(async () =>
        {
            var c = await CredentialAsync(connectionId);
            return c.LastRefreshedAt > DateTimeOffset.UtcNow.AddMinutes(-1) && c.AccessTokenExpiresAt > nearExpiry ? c : null;
        });

        Assert.True(stored.LastRefreshedAt < nearExpiry);
        Assert.True(stored.AccessTokenExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        var vault = TestDatabase.Vault(fixture);
        var newAccessToken = vault.Unprotect(stored.AccessTokenCiphertext, VaultPurposes.AccessToken);
        Assert.NotEqual(oldAccessToken, newAccessToken);
        Assert.DoesNotContain("ya29", System.Text.Encoding.UTF8.GetString(stored.AccessTokenCiphertext));

        await using var scope = _services.CreateAsyncScope();
        var usable = await scope.ServiceProvider.GetRequiredService<ConnectionTokens>().GetAsync(connectionId, CancellationToken.None);
        Assert.Equal(newAccessToken, usable.AccessToken);
        Assert.Equal(1, await RefreshGrantsAsync(refreshToken));
    }

    [Fact]
    public async Task Two_replicas_the_deployed_refresher_and_an_on_demand_refresh_racing_for_one_credential_make_one_refresh_call()
    {
        var connectionId = await ConnectAsync("youtube");
        await QueueJobAsync(connectionId);
        var (refreshToken, _) = await UpdateCredentialAsync(connectionId, c =>
        {
            c.AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
            c.NextCheckAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        });

        var onDemand = Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = _services.CreateAsyncScope();
            return (await scope.ServiceProvider.GetRequiredService<ConnectionTokens>().GetAsync(connectionId, CancellationToken.None)).AccessToken;
        }).ToArray();
        await Task.WhenAll(_replicaA.RunPassAsync(CancellationToken.None), _replicaB.RunPassAsync(CancellationToken.None),
            _replicaA.RunPassAsync(CancellationToken.None), Task.WhenAll(onDemand));

        var tokens = onDemand.Select(t => t.Result).Distinct().ToArray();
        Assert.Single(tokens);
        var stored = await CredentialAsync(connectionId);
        Assert.Equal(tokens[0], TestDatabase.Vault(fixture).Unprotect(stored.AccessTokenCiphertext, VaultPurposes.AccessToken));
        Assert.Null(stored.LeaseOwner);
        Assert.True(stored.NextCheckAt > DateTimeOffset.UtcNow);
        // The deployed refresher keeps polling; it must not refresh again either.
        await _replicaB.RunPassAsync(CancellationToken.None);
        Assert.Equal(1, await RefreshGrantsAsync(refreshToken));
    }

    [Fact]
    public async Task A_revoked_google_grant_found_by_the_daily_check_flags_the_connection_records_the_event_and_fails_queued_jobs()
    {
        var identityId = await NewIdentityAsync();
        var connectionId = await ConnectAsync("youtube", identityId);
        var jobId = await QueueJobAsync(connectionId);
        using (var revoke = await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/identities/{identityId}/revoke", new { platform = "google" }))
            revoke.EnsureSuccessStatusCode();
        // Nobody needs the token, but the grant has not been exercised for two days: the daily check is due.
        await UpdateCredentialAsync(connectionId, c =>
        {
            c.LastRefreshedAt = DateTimeOffset.UtcNow.AddDays(-2);
            c.NextCheckAt = DateTimeOffset.UtcNow;
        });

        await AssertReauthRequiredAsync(connectionId, "invalid_grant", jobId);
    }

    [Fact]
    public async Task A_meta_page_token_answering_190_460_flags_only_its_connection_and_fails_its_queued_jobs()
    {
        var facebook = await ConnectAllAsync("facebook");
        var (flagged, other) = (facebook[0], facebook[1]);
        var jobId = await QueueJobAsync(flagged);
        var pageToken = await UpdateCredentialAsync(flagged, c => c.NextCheckAt = DateTimeOffset.UtcNow);
        await InvalidateMetaTokenAsync(pageToken.AccessToken, 460);

        await AssertReauthRequiredAsync(flagged, "password_changed", jobId);
        var untouched = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{other}?user_id={_userId}");
        Assert.Equal("active", untouched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_meta_user_token_answering_190_460_flags_every_page_of_the_grant()
    {
        var facebook = await ConnectAllAsync("facebook");
        var jobId = await QueueJobAsync(facebook[1]);
        await using (var db = TestDatabase.Open(fixture))
        {
            var page = await CredentialAsync(facebook[0]);
            var user = await db.Credentials.SingleAsync(c => c.Id == page.ParentCredentialId);
            await InvalidateMetaTokenAsync(TestDatabase.Vault(fixture).Unprotect(user.AccessTokenCiphertext, VaultPurposes.AccessToken), 460);
            user.NextCheckAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        }

        await AssertReauthRequiredAsync(facebook[1], "password_changed", jobId);
        var first = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{facebook[0]}?user_id={_userId}");
        Assert.Equal("reauth_required", first.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_transient_5xx_on_refresh_leaves_the_connection_active_and_a_later_pass_succeeds()
    {
        var connectionId = await ConnectAsync("youtube");
        await QueueJobAsync(connectionId);
        var (refreshToken, _) = await UpdateCredentialAsync(connectionId, c =>
        {
            c.AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(3);
            c.NextCheckAt = DateTimeOffset.UtcNow;
        });
        using (var fault = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/faults", new { kind = "transient", platform = "google", path_prefix = "/google-oauth2/token", count = 1 }))
            fault.EnsureSuccessStatusCode();

        var failed = await EventuallyAsync(async () => (await CredentialAsync(connectionId)) is { ConsecutiveFailures: 1 } c ? c : null);
        Assert.NotNull(failed.FailingSince);
        Assert.StartsWith("transient: platform_unavailable", failed.LastError);
        Assert.True(failed.NextCheckAt > DateTimeOffset.UtcNow, "a transient failure is retried later, with backoff");
        Assert.Null(failed.InvalidatedAt);
        Assert.Equal("active", (await ConnectionAsync(connectionId)).GetProperty("status").GetString());

        await UpdateCredentialAsync(connectionId, c => c.NextCheckAt = DateTimeOffset.UtcNow); // the backoff has run out
        var recovered = await EventuallyAsync(async () => (await CredentialAsync(connectionId)) is { ConsecutiveFailures: 0, LastError: null } c ? c : null);

        Assert.Null(recovered.FailingSince);
        Assert.True(recovered.AccessTokenExpiresAt > DateTimeOffset.UtcNow.AddMinutes(50));
        // The 503 came from the sandbox's fault layer before the token endpoint counted a grant: one successful refresh.
        Assert.Equal(1, await RefreshGrantsAsync(refreshToken));
        Assert.Equal("active", (await ConnectionAsync(connectionId)).GetProperty("status").GetString());
        await using var db = TestDatabase.Open(fixture);
        Assert.False(await Events(db, "connection.reauth_required", connectionId).AnyAsync());
    }

    [Fact]
    public async Task A_meta_grant_whose_data_access_window_lapses_within_the_notice_period_emits_connection_expiring_once()
    {
        List<Guid> facebook;
        // Five days from now on our clock, which is the refresher's; the sandbox clock may run ahead after earlier tests.
        await _sandbox.SettingsAsync(new { meta_data_access_days = await _sandbox.MetaDataAccessDaysLapsingInAsync(5) });
        try
        {
            facebook = await ConnectAllAsync("facebook");
        }
        finally
        {
            await _sandbox.SettingsAsync(new { meta_data_access_days = 90 });
        }
        var userCredentialId = (await CredentialAsync(facebook[0])).ParentCredentialId!.Value;
        await DueNowAsync(userCredentialId);

        await using var db = TestDatabase.Open(fixture);
        await EventuallyAsync(async () => await Events(db, "connection.expiring", facebook[0]).AnyAsync() ? "" : null);
        foreach (var id in facebook)
        {
            var expiring = await Events(db, "connection.expiring", id).SingleAsync();
            var data = expiring.Payload.RootElement.GetProperty("data");
            Assert.Equal("data_access_expiring", data.GetProperty("reason").GetString());
            Assert.InRange(data.GetProperty("expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(4), DateTimeOffset.UtcNow.AddDays(6));
            Assert.Equal("active", data.GetProperty("connection").GetProperty("status").GetString());
        }

        // The next check within the same window does not announce it again.
        await DueNowAsync(userCredentialId);
        await EventuallyAsync(async () =>
        {
            await using var read = TestDatabase.Open(fixture);
            return await read.Credentials.SingleAsync(c => c.Id == userCredentialId) is { NextCheckAt: { } next } && next > DateTimeOffset.UtcNow ? "" : null;
        });
        Assert.Equal(1, await Events(db, "connection.expiring", facebook[0]).CountAsync());
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private RefreshScheduler Replica(string owner) => new(
        _services.GetRequiredService<IServiceScopeFactory>(),
        _services.GetRequiredService<IOptions<TokenRefreshOptions>>(),
        _services.GetRequiredService<ScheduledRefreshTelemetry>(),
        TimeProvider.System,
        _services.GetRequiredService<ILogger<RefreshScheduler>>()) { Owner = owner };

    /// <summary>Runs passes of the test replicas until <paramref name="probe"/> answers (the deployed refresher may get there first).</summary>
    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            await _replicaA.RunPassAsync(timeout.Token);
            if (await probe() is { } result) return result;
            await _replicaB.RunPassAsync(timeout.Token);
            if (await probe() is { } again) return again;
        }
    }

    private async Task AssertReauthRequiredAsync(Guid connectionId, string reason, Guid jobId)
    {
        await EventuallyAsync(async () => (await ConnectionAsync(connectionId)).GetProperty("status").GetString() == "reauth_required" ? "" : null);
        var connection = await ConnectionAsync(connectionId);
        Assert.Equal(reason, connection.GetProperty("reauth_reason").GetString());

        await using var db = TestDatabase.Open(fixture);
        var @event = await Events(db, "connection.reauth_required", connectionId).SingleAsync();
        Assert.Equal(reason, @event.Payload.RootElement.GetProperty("data").GetProperty("connection").GetProperty("reauth_reason").GetString());

        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        Assert.Equal("failed", job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.NotNull(job.CompletedAt);
        var error = job.Error!.RootElement;
        Assert.Equal("reauth_required", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("reauth_required").GetBoolean());
        Assert.False(error.GetProperty("retryable").GetBoolean());
        // Failed as any finished job is: its event, and the publication (this was its only job) completed with its own.
        var failedEvent = await db.WebhookEvents.Where(e => e.Type == "job.failed").ToListAsync();
        var jobEvent = Assert.Single(failedEvent, e => e.Payload.RootElement.GetProperty("data").GetProperty("job").GetProperty("id").GetGuid() == jobId);
        Assert.Equal("reauth_required", jobEvent.Payload.RootElement.GetProperty("data").GetProperty("job").GetProperty("error").GetProperty("code").GetString());
        var publication = await db.Publications.SingleAsync(p => p.Id == job.PublicationId);
        Assert.NotNull(publication.CompletedAt);
        var completed = (await db.WebhookEvents.Where(e => e.Type == "publication.completed").ToListAsync())
            .Single(e => e.Payload.RootElement.GetProperty("data").GetProperty("publication_id").GetGuid() == job.PublicationId).Payload.RootElement.GetProperty("data");
        Assert.Equal(1, completed.GetProperty("failed").GetInt32());
        Assert.Equal(0, completed.GetProperty("published").GetInt32());

        var credential = await CredentialAsync(connectionId);
        Assert.NotNull(credential.InvalidatedAt);
        Assert.Null(credential.NextCheckAt);
    }

    private IQueryable<WebhookEvent> Events(OrbytDbContext db, string type, Guid connectionId) =>
        db.WebhookEvents.Where(e => e.Type == type
            && e.Payload.RootElement.GetProperty("data").GetProperty("connection").GetProperty("id").GetGuid() == connectionId);

    private async Task<string> NewIdentityAsync() => (await _scenario.NewIdentityAsync()).GetProperty("id").GetString()!;

    private async Task<Guid> ConnectAsync(string platform, string? identityId = null) => (await ConnectAllAsync(platform, identityId))[0];

    /// <summary>Connects through the API with the sandbox's auto consent (a new identity unless one is given); every connection id of the consent.</summary>
    private async Task<List<Guid>> ConnectAllAsync(string platform, string? identityId = null)
    {
        identityId ??= await NewIdentityAsync();
        return (await _scenario.ConnectAsync(platform)).Select(Guid.Parse).ToList();
    }

    private Task<JsonElement> ConnectionAsync(Guid connectionId) => _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_userId}");

    private async Task<Credential> CredentialAsync(Guid connectionId)
    {
        await using var db = TestDatabase.Open(fixture);
        return await db.Connections.Where(c => c.Id == connectionId).Select(c => c.Credential!).SingleAsync();
    }

    private async Task DueNowAsync(Guid credentialId)
    {
        await using var db = TestDatabase.Open(fixture);
        await db.Credentials.Where(c => c.Id == credentialId).ExecuteUpdateAsync(s => s.SetProperty(c => c.NextCheckAt, DateTimeOffset.UtcNow));
    }

    /// <summary>Changes the connection's credential and returns its (refresh token, access token) as stored before.</summary>
    private async Task<(string? RefreshToken, string AccessToken)> UpdateCredentialAsync(Guid connectionId, Action<Credential> change)
    {
        await using var db = TestDatabase.Open(fixture);
        var credential = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.Credential!).SingleAsync();
        var vault = TestDatabase.Vault(fixture);
        var tokens = (credential.RefreshTokenCiphertext is null ? null : vault.Unprotect(credential.RefreshTokenCiphertext, VaultPurposes.RefreshToken),
            vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken));
        change(credential);
        await db.SaveChangesAsync();
        return tokens;
    }

    /// <summary>A publication with one queued job for the connection, as the publishing API writes them.</summary>
    private async Task<Guid> QueueJobAsync(Guid connectionId)
    {
        await using var db = TestDatabase.Open(fixture);
        var connection = await db.Connections.SingleAsync(c => c.Id == connectionId);
        var now = DateTimeOffset.UtcNow;
        var publication = new Publication
        {
            Id = Guid.CreateVersion7(), ClientId = connection.ClientId, UserId = connection.UserId, MediaType = MediaTypes.Image,
            MediaUrl = "https://example.test/image.jpg", CreatedAt = now,
            // Someone receives its events: the failed job's job.failed and publication.completed are recorded.
            CallbackUrl = "https://hooks.example.test/orbyt",
        };
        var job = new Job
        {
            Id = Guid.CreateVersion7(), PublicationId = publication.Id, ConnectionId = connectionId, ClientId = connection.ClientId,
            UserId = connection.UserId, Platform = connection.Platform, Status = JobStatuses.Queued, CreatedAt = now, UpdatedAt = now,
        };
        db.Publications.Add(publication);
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private async Task InvalidateMetaTokenAsync(string token, int subcode)
    {
        using var response = await fixture.Sandbox.PostAsJsonAsync("/_sandbox/tokens/invalidate", new { token, subcode });
        response.EnsureSuccessStatusCode();
    }

    private async Task<int> RefreshGrantsAsync(string? refreshToken)
    {
        var calls = await _sandbox.CallsAsync();
        return calls.GetProperty("refresh_grants").TryGetProperty(refreshToken!, out var count) ? count.GetInt32() : 0;
    }
}
