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
using Orbyt.Api.Features.Publications;
using Orbyt.Core.Vault;
using Scalar.AspNetCore;
using OAuthFlow = Orbyt.Api.Features.Connections.OAuthFlow;

namespace Orbyt.Api;

public static class Extensions
{
    public static WebApplicationBuilder AddOrbytApi(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddOrbytDatabase();
        builder.AddOrbytRedis();

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
        builder.Services.AddMemoryCache();
        builder.Services.AddOptions<RateLimiting.ApiRateLimitOptions>().BindConfiguration(RateLimiting.ApiRateLimitOptions.Section);
        builder.Services.AddSingleton<Core.RateLimits.RedisWindowLimiter>();

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
            // Tags come from each endpoint's Description(); the default would add a "V1" tag from the path.
            o.AutoTagPathSegmentIndex = 0;
            o.TagDescriptions = t =>
            {
                t["Clients"] = "The calling API client, its settings (allowed return URLs) and, for admin keys, other clients.";
                t["API keys"] = "Keys of the calling client. The plaintext is returned once, at creation.";
                t["Connections"] = "Connecting Facebook Pages, Instagram professional accounts and YouTube channels by OAuth; their token health.";
                t["Publications"] = "Publishing one image or video to one or more connections; asynchronous, one job per target.";
                t["Jobs"] = "Polling, retrying and cancelling the per-target publishing jobs.";
                t["Webhooks"] = "Signed (Standard Webhooks) event deliveries to your endpoints: registration, secrets, delivery log, test events.";
                t["Errors"] = "The error catalog: every code a problem response, a job error or a webhook can carry. Public.";
            };
            o.DocumentSettings = s =>
            {
                s.DocumentName = "v1";
                s.Title = "Orbyt Integration API";
                s.Version = "v1";
                s.Description = "Connect Facebook Pages, Instagram professional accounts and YouTube channels; publish images and videos asynchronously. " +
                                "Authenticate every call except the public ones with the X-Api-Key header. Errors are application/problem+json with a stable `code` " +
                                "from the error catalog (GET /v1/errors). Webhook payloads are described in docs/webhooks.md.";
                s.AddAuth(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
                {
                    Type = OpenApiSecuritySchemeType.ApiKey,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    In = OpenApiSecurityApiKeyLocation.Header,
                    Description = "An API key of the form orb_{key_id}_{secret}.",
                });
                s.OperationProcessors.Add(new IdempotencyKeyHeaderProcessor());
            };
        });
        return builder;
    }

    public static WebApplication UseOrbytApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ProblemResults.WriteStatusCodePageAsync);
        app.UseAuthentication();
        app.UseMiddleware<RateLimiting.ClientRateLimitMiddleware>();
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
        // Scalar reads the document NSwag serves above (its default pattern is /openapi/{documentName}.json, document v1).
        app.MapScalarApiReference("/docs", o => o
                .WithTitle("Orbyt Integration API")
                .AddPreferredSecuritySchemes(ApiKeyAuthenticationHandler.SchemeName))
            .AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }
}
