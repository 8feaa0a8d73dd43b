using Microsoft.Extensions.Configuration;
using Orbyt.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers when a runtime answers, otherwise local redis-server/postgres (ARCHITECTURE.md §2).
var infrastructure = builder.AddOrbytInfrastructure();
var redis = infrastructure.Redis;
var db = infrastructure.Database;

// Secrets: generated for development and kept in the AppHost's user secrets; set them for real deployments.
var bootstrapApiKey = builder.AddParameter("bootstrap-api-key", new ApiKeyParameterDefault(), secret: true, persist: true);
var tokenEncryptionKey = builder.AddParameter("token-encryption-key", new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true, persist: true);
var platforms = builder.AddPlatformCredentials();

var migrations = builder.AddProject<Projects.Orbyt_MigrationService>("migrations")
    .WithReference(db).WaitFor(db);

var api = builder.AddProject<Projects.Orbyt_Api>("api")
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithEnvironment("Orbyt__BootstrapApiKey", bootstrapApiKey)
    .WithEnvironment("Orbyt__Vault__Keys__k1", tokenEncryptionKey)
    .WithPlatforms(platforms)
    .WithSettings(builder.Configuration, "Orbyt:Media", "Orbyt:Webhooks")
    .WithHttpHealthCheck("/health");
// The platforms send the browser back to the API's own public URL.
api.WithEnvironment("Orbyt__OAuth__PublicBaseUrl", api.GetEndpoint("http"));

builder.AddProject<Projects.Orbyt_Uploader>("uploader")
    .WithSettings(builder.Configuration, "Orbyt:Media", "Orbyt:Uploader", "Orbyt:Webhooks", "Orbyt:RateLimits")
    .WithReplicas(builder.Configuration.GetValue("Orbyt:UploaderReplicas", 1))
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithEnvironment("Orbyt__Vault__Keys__k1", tokenEncryptionKey)
    .WithPlatforms(platforms)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Orbyt_TokenRefresher>("token-refresher")
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithEnvironment("Orbyt__Vault__Keys__k1", tokenEncryptionKey)
    .WithPlatforms(platforms)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
