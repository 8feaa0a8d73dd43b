using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;
using Orbyt.IntegrationTests.Connections;
using Orbyt.TokenRefresher;
using Orbyt.TokenRefresher.Scheduling;

namespace Orbyt.IntegrationTests.Refresh;

/// <summary>
/// The refresher keeps Instagram Login tokens alive (issue 19, reference §14.4): ig_refresh_token once the 60-day token is a
/// week old and never before it is a day old, a dead grant flagged reauth_required with its webhook, an outage backed off,
/// and connection.expiring when the end comes near anyway. A test-hosted scheduler runs next to the deployed one.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class InstagramLoginRefreshTests(AppHostFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private Scenario _scenario = null!;
    private ServiceProvider _services = null!;
    private RefreshScheduler _replica = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "igrefresh");
        _services = TestDatabase.WorkerServices(fixture, services => services.AddTokenRefreshScheduler());
        _replica = new RefreshScheduler(
            _services.GetRequiredService<IServiceScopeFactory>(),
            _services.GetRequiredService<IOptions<TokenRefreshOptions>>(),
            _services.GetRequiredService<ScheduledRefreshTelemetry>(),
            TimeProvider.System,
            _services.GetRequiredService<ILogger<RefreshScheduler>>()) { Owner = "igrefresh-replica" };
    }

    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        await _services.DisposeAsync();
    }

    private async Task<(Guid ConnectionId, string IdentityId)> ConnectAsync()
    {
        var identity = await _scenario.NewIdentityAsync(InstagramLoginTests.WithoutPage);
        var account = await _scenario.ConnectAccountAsync("instagram", login: "instagram");
        return (Guid.Parse(account.ConnectionId), identity.GetProperty("id").GetString()!);
    }

    private async Task<Credential> CredentialAsync(Guid connectionId)
    {
        await using var db = TestDatabase.Open(fixture);
        return await db.Connections.Where(c => c.Id == connectionId).Select(c => c.Credential!).SingleAsync();
    }

    /// <summary>Rewrites the credential's age and expiry as if time had passed, and makes it due now.</summary>
    private async Task AgeAsync(Guid connectionId, TimeSpan age, TimeSpan? expiresIn = null)
    {
        await using var db = TestDatabase.Open(fixture);
        var credential = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.Credential!).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        credential.LastRefreshedAt = now - age;
        credential.AccessTokenExpiresAt = now + (expiresIn ?? TimeSpan.FromDays(60) - age);
        credential.NextCheckAt = now;
        await db.SaveChangesAsync();
    }

    /// <summary>Runs passes until <paramref name="probe"/> holds (the deployed refresher may get there first).</summary>
    private async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            await _replica.RunPassAsync(timeout.Token);
            if (await probe() is { } result) return result;
        }
    }

    private async Task<int> RefreshCallsAsync() =>
        (await _scenario.Sandbox.CallsAsync()).GetProperty("paths").EnumerateObject()
            .Where(p => p.Name == "GET /graph-instagram/refresh_access_token").Sum(p => p.Value.GetInt32());

    private IQueryable<WebhookEvent> Events(OrbytDbContext db, string type, Guid connectionId) =>
        db.WebhookEvents.Where(e => e.Type == type
            && e.Payload.RootElement.GetProperty("data").GetProperty("connection").GetProperty("id").GetGuid() == connectionId);

    [Fact]
    public async Task A_token_younger_than_a_day_is_never_refreshed_even_near_its_end_but_the_end_is_announced()
    {
        var (connectionId, _) = await ConnectAsync();
        var before = await RefreshCallsAsync();
        // An hour old and (as if refreshes had failed for weeks) two days from its end: Meta refuses a refresh before 24 h.
        await AgeAsync(connectionId, TimeSpan.FromHours(1), TimeSpan.FromDays(2));
        var issued = (await CredentialAsync(connectionId)).LastRefreshedAt!.Value;

        var checkedOnce = await EventuallyAsync(async () => await CredentialAsync(connectionId) is { NextCheckAt: { } next } c && next > DateTimeOffset.UtcNow ? c : null);

        Assert.Equal(before, await RefreshCallsAsync());
        Assert.Equal(issued, checkedOnce.LastRefreshedAt);
        // The next look is when the token turns a day old, not earlier.
        Assert.InRange(checkedOnce.NextCheckAt!.Value, issued + TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1), issued + TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await using var db = TestDatabase.Open(fixture);
        var expiring = await Events(db, "connection.expiring", connectionId).SingleAsync();
        Assert.Equal("token_expiring", expiring.Payload.RootElement.GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_week_old_token_is_refreshed_with_ig_refresh_token_and_lives_sixty_days_from_then()
    {
        var (connectionId, _) = await ConnectAsync();
        var oldToken = await TestDatabase.ConnectionTokenAsync(fixture, connectionId.ToString());
        // The sandbox's token is minutes old on its clock; let it refresh that (the product's 24-hour rule is the test above).
        await _scenario.Sandbox.SettingsAsync(new { ig_refresh_min_age_seconds = 0 });
        try
        {
            await AgeAsync(connectionId, TimeSpan.FromDays(8));
            var refreshed = await EventuallyAsync(async () => await CredentialAsync(connectionId) is { LastRefreshedAt: { } at } c && at > DateTimeOffset.UtcNow.AddMinutes(-1) ? c : null);

            Assert.InRange(refreshed.AccessTokenExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(59), TimeSpan.FromDays(61));
            var newToken = TestDatabase.Vault(fixture).Unprotect(refreshed.AccessTokenCiphertext, VaultPurposes.AccessToken);
            Assert.NotEqual(oldToken, newToken);
            var me = await _scenario.Sandbox.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/graph-instagram/v24.0/me?fields=user_id&access_token={newToken}");
            Assert.False(string.IsNullOrEmpty(me.GetProperty("user_id").GetString()));
            // Next refresh a week later.
            Assert.True(refreshed.NextCheckAt > DateTimeOffset.UtcNow.AddHours(23), refreshed.NextCheckAt.ToString());
            var connection = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_scenario.UserId}");
            Assert.Equal("active", connection.GetProperty("status").GetString());
        }
        finally
        {
            await _scenario.Sandbox.SettingsAsync(new { ig_refresh_min_age_seconds = 86_400 });
        }
    }

    [Fact]
    public async Task A_grant_removed_at_instagram_is_a_dead_grant_flagged_reauth_required_with_its_webhook_and_its_queued_job_failed()
    {
        var (connectionId, identityId) = await ConnectAsync();
        using (var revoked = await fixture.Sandbox.PostAsJsonAsync($"/_sandbox/identities/{identityId}/revoke", new { platform = "instagram" }))
            revoked.EnsureSuccessStatusCode();
        var jobId = await _scenario.PublishAsync(connectionId.ToString(), "image", _scenario.Sandbox.Url("_sandbox/media/image.jpg"));
        await _scenario.Sandbox.SettingsAsync(new { ig_refresh_min_age_seconds = 0 });
        try
        {
            await AgeAsync(connectionId, TimeSpan.FromDays(8));
            await EventuallyAsync(async () => (await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_scenario.UserId}"))
                .GetProperty("status").GetString() == "reauth_required" ? "" : null);
        }
        finally
        {
            await _scenario.Sandbox.SettingsAsync(new { ig_refresh_min_age_seconds = 86_400 });
        }

        var connection = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_scenario.UserId}");
        // 190/458 from the refresh — or from the job's own call, whichever came first: the same dead grant.
        Assert.Contains(connection.GetProperty("reauth_reason").GetString(), new[] { "app_not_installed", "meta_190_458" });
        await using var db = TestDatabase.Open(fixture);
        Assert.Equal(1, await Events(db, "connection.reauth_required", connectionId).CountAsync());
        var job = await _scenario.WaitForJobToFinishAsync(jobId);
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("reauth_required", job.GetProperty("error").GetProperty("code").GetString());
        var credential = await CredentialAsync(connectionId);
        Assert.NotNull(credential.InvalidatedAt);
        Assert.Null(credential.NextCheckAt);
    }

    [Fact]
    public async Task A_refresh_that_fails_for_now_backs_off_keeps_the_connection_and_announces_the_end_once()
    {
        var (connectionId, _) = await ConnectAsync();
        await _scenario.Sandbox.AddFaultAsync(new { kind = "transient", platform = "meta", path_prefix = "/graph-instagram/refresh_access_token", count = 100 });
        try
        {
            // 55 days old, five days from the end: due, and inside the seven-day notice.
            await AgeAsync(connectionId, TimeSpan.FromDays(55));
            var failing = await EventuallyAsync(async () => await CredentialAsync(connectionId) is { ConsecutiveFailures: > 0 } c ? c : null);

            Assert.StartsWith("transient", failing.LastError);
            Assert.Null(failing.InvalidatedAt);
            Assert.True(failing.NextCheckAt > DateTimeOffset.UtcNow, "a transient failure backs off");
            var connection = await _scenario.Api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_scenario.UserId}");
            Assert.Equal("active", connection.GetProperty("status").GetString());
            await using var db = TestDatabase.Open(fixture);
            Assert.Equal(1, await Events(db, "connection.expiring", connectionId).CountAsync());
        }
        finally
        {
            (await fixture.Sandbox.DeleteAsync("/_sandbox/faults")).Dispose();
        }
    }
}
