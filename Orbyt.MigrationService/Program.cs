using Orbyt.Core.Data;
using Orbyt.MigrationService;

var builder = Host.CreateApplicationBuilder(args);
builder.AddBasicServiceDefaults();
builder.AddOrbytDatabase();
builder.Services.AddHostedService<DatabaseMigrator>();
builder.Build().Run();
