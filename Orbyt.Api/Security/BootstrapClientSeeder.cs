using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orbyt.Core.Data;

namespace Orbyt.Api.Security;

/// <summary>
/// Makes sure the configured bootstrap key exists and belongs to the admin bootstrap client. Runs at start-up
/// (the migrations are applied before the API starts). The key's plaintext is never stored.
/// </summary>
public sealed partial class BootstrapClientSeeder(IServiceProvider services, IOptions<BootstrapOptions> options, TimeProvider time, ILogger<BootstrapClientSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value;
        if (configured.BootstrapApiKey is null || !ApiKeys.TryParse(configured.BootstrapApiKey, out var keyId, out var secret))
        {
            LogNoBootstrapKey(logger);
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrbytDbContext>();
        var now = time.GetUtcNow();
        var client = await db.ApiClients.SingleOrDefaultAsync(c => c.Name == configured.BootstrapClient.Name && c.IsAdmin, cancellationToken);
        if (client is null)
        {
            client = new ApiClient { Id = Guid.CreateVersion7(), Name = configured.BootstrapClient.Name, IsAdmin = true, CreatedAt = now };
            db.ApiClients.Add(client);
        }
        client.AllowedReturnUrls = configured.BootstrapClient.AllowedReturnUrls.Union(client.AllowedReturnUrls).ToList();

        var hash = ApiKeys.HashSecret(secret);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.KeyId == keyId, cancellationToken);
        if (key is null)
            db.ApiKeys.Add(new ApiKey { Id = Guid.CreateVersion7(), ClientId = client.Id, KeyId = keyId, SecretHash = hash, Name = "bootstrap", CreatedAt = now });
        else if (key.ClientId == client.Id && key.RevokedAt is null)
            key.SecretHash = hash;

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another API replica seeded it at the same moment; its row is equivalent.
        }
        LogSeeded(logger, keyId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Orbyt:BootstrapApiKey configured; only existing keys can authenticate.")]
    private static partial void LogNoBootstrapKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap API key {KeyId} is ready.")]
    private static partial void LogSeeded(ILogger logger, string keyId);
}
