using System.Text.Json;
using FastEndpoints;
using FastEndpoints.Swagger;
using Microsoft.AspNetCore.Authentication;
using NSwag;
using Orbyt.Api.Features.Connections;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Hosting;
using Orbyt.Core.Media;
using Orbyt.Core.Platforms;
using Orbyt.Core.Vault;

namespace Orbyt.Api;

public static class Extensions
{
    public static WebApplicationBuilder AddOrbytApi(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddOrbytDatabase();
        builder.AddRedisClient(WorkerHostingExtensions.RedisResourceName);

        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();
        builder.Services.AddHostedService<BootstrapClientSeeder>();

        builder.Services.AddTokenVault();
        builder.Services.AddPlatformClients();
        builder.Services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.Section);
        builder.Services.AddScoped<OAuthFlow>();
        builder.Services.AddScoped<ConnectionWriter>();
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section);
        builder.Services.AddSingleton<MediaUrlPolicy>();
        builder.Services.AddScoped<Features.Publications.IdempotencyStore>();

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
        builder.AddWebhookManagement();

        builder.Services.AddFastEndpoints();
        builder.Services.SwaggerDocument(o =>
        {
            o.EnableJWTBearerAuth = false;
            o.ShortSchemaNames = true;
            o.DocumentSettings = s =>
            {
                s.DocumentName = "v1";
                s.Title = "Orbyt Integration API";
                s.Version = "v1";
                s.Description = "Connect Facebook Pages, Instagram professional accounts and YouTube channels; publish images and videos asynchronously.";
                s.AddAuth(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
                {
                    Type = OpenApiSecuritySchemeType.ApiKey,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    In = OpenApiSecurityApiKeyLocation.Header,
                    Description = "An API key of the form orb_{key_id}_{secret}.",
                });
            };
        });
        return builder;
    }

    public static WebApplication UseOrbytApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ProblemResults.WriteStatusCodePageAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseFastEndpoints(c =>
        {
            c.Serializer.Options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            c.Serializer.Options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
            c.Binding.JsonExceptionTransformer = ProblemResults.FromJsonException;
            c.Errors.ResponseBuilder = ProblemResults.FromValidationFailures;
            c.Errors.ContentType = ProblemResults.ContentType;
        });
        app.UseOpenApi(c => c.Path = "/openapi/{documentName}.json");
        app.MapDefaultEndpoints();
        return app;
    }
}
