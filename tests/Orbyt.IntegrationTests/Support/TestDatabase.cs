using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orbyt.Core.Data;
using Orbyt.Core.Vault;

namespace Orbyt.IntegrationTests.Support;

/// <summary>The test database as the services see it: a context, worker services and the vault, for arranging and reading state.</summary>
public static class TestDatabase
{
    public static OrbytDbContext Open(AppHostFixture fixture) =>
        new(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention().Options);

    /// <summary>
    /// A service provider like a worker's, against the test database and the sandbox's platforms, for running worker
    /// components (refresh scheduler, connection tokens) inside a test.
    /// </summary>
    public static ServiceProvider WorkerServices(AppHostFixture fixture, Action<IServiceCollection> addServices)
    {
        var sandbox = fixture.Sandbox.BaseAddress!.ToString().TrimEnd('/');
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orbyt:Vault:Keys:k1"] = fixture.TokenEncryptionKey,
            ["Platforms:Google:ClientId"] = "sandbox-client.apps.googleusercontent.com",
            ["Platforms:Google:ClientSecret"] = "sandbox-google-secret",
            ["Platforms:Google:OAuth2BaseUrl"] = sandbox + "/google-oauth2/",
            ["Platforms:Google:YouTubeBaseUrl"] = sandbox + "/youtube/",
            ["Platforms:Meta:AppId"] = "1234567890",
            ["Platforms:Meta:AppSecret"] = "sandbox-meta-secret",
            ["Platforms:Meta:GraphBaseUrl"] = sandbox + "/graph/",
            ["Platforms:Meta:InstagramAppId"] = "9876543210",
            ["Platforms:Meta:InstagramAppSecret"] = "sandbox-instagram-secret",
            ["Platforms:Meta:InstagramGraphBaseUrl"] = sandbox + "/graph-instagram/",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<OrbytDbContext>(o => o.UseNpgsql(fixture.DatabaseConnectionString).UseSnakeCaseNamingConvention());
        addServices(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The access token a connection publishes with (a Page token for Facebook and Instagram), opened from the vault.</summary>
    public static async Task<string> ConnectionTokenAsync(AppHostFixture fixture, string connectionId)
    {
        await using var db = Open(fixture);
        var credential = await db.Connections.Where(c => c.Id == Guid.Parse(connectionId)).Select(c => c.Credential!).SingleAsync();
        return Vault(fixture).Unprotect(credential.AccessTokenCiphertext, VaultPurposes.AccessToken);
    }

    public static ITokenVault Vault(AppHostFixture fixture) =>
        new AesGcmTokenVault(Options.Create(new TokenVaultOptions { Keys = new() { ["k1"] = fixture.TokenEncryptionKey } }));

    /// <summary>
    /// A database of its own on the AppHost's PostgreSQL, migrated like production, for a test that needs tables no
    /// service touches (a backlog, held locks). Returns its connection string (unpooled); drop it with <see cref="DropAsync"/>.
    /// </summary>
    public static async Task<string> CreateThrowAwayAsync(AppHostFixture fixture, string name)
    {
        await AdminAsync(fixture, $"CREATE DATABASE {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(fixture.DatabaseConnectionString) { Database = name, Pooling = false }.ConnectionString;
        await using var db = new OrbytDbContext(new DbContextOptionsBuilder<OrbytDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
        await db.Database.MigrateAsync();
        return connectionString;
    }

    public static Task DropAsync(AppHostFixture fixture, string name) => AdminAsync(fixture, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    private static async Task AdminAsync(AppHostFixture fixture, string sql)
    {
        await using var admin = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
