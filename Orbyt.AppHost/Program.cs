using Microsoft.Extensions.Configuration;
using Orbyt.AppHost;
using Orbyt.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers when a runtime answers, otherwise local redis-server/postgres (README, Orbyt:Infrastructure).
var infrastructure = builder.AddOrbytInfrastructure();
var redis = infrastructure.Redis;
var db = infrastructure.Database;

// Secrets: generated for development and kept in the AppHost's user secrets; set them for real deployments.
var bootstrapApiKey = builder.AddParameter("bootstrap-api-key", new ApiKeyParameterDefault(), secret: true, persist: true);
var tokenEncryptionKey = builder.AddParameter("token-encryption-key", new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true, persist: true);
var platformCredentials = builder.AddPlatformCredentials();

// The sandbox stands in for Meta, Google/YouTube and Mux unless Orbyt:Platforms is "real".
IResourceBuilder<ProjectResource>? sandbox = builder.Configuration["Orbyt:Platforms"] == "real"
    ? null
    : builder.AddProject<Projects.Orbyt_Sandbox>("sandbox")
        .WithAcceptedCredentials(platformCredentials)
        .WithHttpHealthCheck("/health");

// The schema is migrated once, before any service starts.
var migrations = builder.AddProject<Projects.Orbyt_MigrationService>("migrations")
    .WithReference(db).WaitFor(db);

var backing = new OrbytBackingServices(db, redis, migrations, tokenEncryptionKey, platformCredentials, sandbox);

var api = builder.AddProject<Projects.Orbyt_Api>("api")
    .WithOrbytBackingServices(backing)
    .WithEnvironment("Orbyt__BootstrapApiKey", bootstrapApiKey)
    .WithSettings(builder.Configuration, "Orbyt:Media", "Orbyt:Webhooks", "Orbyt:Schedule", "Orbyt:RateLimits", "Orbyt:ConnectionHealth");
// The platforms send the browser back to the API's own public URL.
api.WithEnvironment("Orbyt__OAuth__PublicBaseUrl", api.GetEndpoint("http"));

// Settings first, so the wiring (e.g. the sandbox's media origin) wins over a passed-through setting of the same name.
builder.AddProject<Projects.Orbyt_Uploader>("uploader")
    .WithSettings(builder.Configuration, "Orbyt:Media", "Orbyt:Uploader", "Orbyt:Webhooks", "Orbyt:RateLimits", "Orbyt:Schedule")
    .WithReplicas(builder.Configuration.GetValue("Orbyt:UploaderReplicas", 1))
    .WithOrbytBackingServices(backing);

builder.AddProject<Projects.Orbyt_TokenRefresher>("token-refresher")
    .WithOrbytBackingServices(backing);

builder.Build().Run();
