using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orbyt.Core.Credentials;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

namespace Orbyt.IntegrationTests.Connections;

/// <summary>The workers' way to a usable token, against the real database and the sandbox's Google.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ConnectionTokenTests(AppHostFixture fixture) : IAsyncLifetime
{
    private Scenario _scenario = null!;
    private ServiceProvider _services = null!;
    private ApiCaller _api = null!;
    private SandboxControl _sandbox = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        _scenario = await Scenario.StartAsync(fixture, "tokens");
        (_api, _sandbox, _userId) = (_scenario.Api, _scenario.Sandbox, _scenario.UserId);

        _services = TestDatabase.WorkerServices(fixture, services => services.AddConnectionTokens());
    }

    public async Task DisposeAsync()
    {
        _scenario.Dispose();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task An_expired_google_token_is_refreshed_once_for_concurrent_callers_and_stored_encrypted()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        await _sandbox.AutoConsentAsync(identity.GetProperty("id").GetString()!);
        var connectionId = Guid.Parse(Assert.Single(await _scenario.ConnectAsync("youtube")));
        var (refreshToken, oldAccessToken) = await ExpireStoredAccessTokenAsync(connectionId);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = _services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ConnectionTokens>().GetAsync(connectionId, CancellationToken.None);
        }));

        Assert.Single(tokens.Select(t => t.AccessToken).Distinct());
        Assert.NotEqual(oldAccessToken, tokens[0].AccessToken);
        Assert.Equal(1, await RefreshGrantsAsync(refreshToken));
        using var channels = new HttpRequestMessage(HttpMethod.Get, "/youtube/youtube/v3/channels?part=snippet&mine=true");
        channels.Headers.Authorization = new("Bearer", tokens[0].AccessToken);
        using var response = await fixture.Sandbox.SendAsync(channels);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await using var db = TestDatabase.Open(fixture);
        var stored = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.Credential!).SingleAsync();
        Assert.Equal(tokens[0].AccessToken, TestDatabase.Vault(fixture).Unprotect(stored.AccessTokenCiphertext, VaultPurposes.AccessToken));
        Assert.True(stored.AccessTokenExpiresAt > DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task A_revoked_google_grant_marks_the_connection_reauth_required_and_records_the_event()
    {
        var identity = await _sandbox.CreateIdentityAsync();
        var identityId = identity.GetProperty("id").GetString()!;
        await _sandbox.AutoConsentAsync(identityId);
        var connectionId = Guid.Parse(Assert.Single(await _scenario.ConnectAsync("youtube")));
        await ExpireStoredAccessTokenAsync(connectionId);
        using (var revoke = await fixture.Sandbox.PostAsync($"/_sandbox/identities/{identityId}/revoke", JsonContent(new { platform = "google" })))
            revoke.EnsureSuccessStatusCode();

        await using var scope = _services.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<ConnectionUnusableException>(() =>
            scope.ServiceProvider.GetRequiredService<ConnectionTokens>().GetAsync(connectionId, CancellationToken.None));

        Assert.Equal("reauth_required", error.Error.Code);
        var connection = await _api.JsonAsync(HttpMethod.Get, $"/v1/connections/{connectionId}?user_id={_userId}");
        Assert.Equal("reauth_required", connection.GetProperty("status").GetString());
        Assert.Equal("invalid_grant", connection.GetProperty("reauth_reason").GetString());
        await using var db = TestDatabase.Open(fixture);
        Assert.True(await db.WebhookEvents.AnyAsync(e => e.Type == "connection.reauth_required"
            && e.Payload.RootElement.GetProperty("data").GetProperty("connection").GetProperty("id").GetGuid() == connectionId));
    }

    private async Task<(string RefreshToken, string AccessToken)> ExpireStoredAccessTokenAsync(Guid connectionId)
    {
        await using var db = TestDatabase.Open(fixture);
        var credential = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.Credential!).SingleAsync();
        credential.AccessTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        await db.SaveChangesAsync();
        var vault = TestDatabase.Vault(fixture);
        return (vault.Unprotect(credential.RefreshTokenCiphertext!, VaultPurposes.RefreshToken), vault.Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken));
    }

    private async Task<int> RefreshGrantsAsync(string refreshToken)
    {
        var calls = await _sandbox.CallsAsync();
        return calls.GetProperty("refresh_grants").TryGetProperty(refreshToken, out var count) ? count.GetInt32() : 0;
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
