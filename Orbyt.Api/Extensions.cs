using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Authentication;
using Orbyt.Api.Features.Connections;
using Orbyt.Api.OpenApi;
using Orbyt.Api.Problems;
using Orbyt.Api.Security;
using Orbyt.Core.Data;
using Orbyt.Core.Hosting;
using Orbyt.Core.Media;
using Orbyt.Core.Platforms;
using Orbyt.Core.Vault;
using OAuthFlow = Orbyt.Api.Features.Connections.OAuthFlow;

namespace Orbyt.Api;

public static class Extensions
{
    public static WebApplicationBuilder AddOrbytApi(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        // Fail fast while PostgreSQL is away (docs/operations.md, outages): a short connect timeout, a bounded statement
        // time, few quick retries, and a circuit that answers 503 at once until a probe reaches the database again.
        var circuit = new Database.DatabaseCircuit();
        builder.Services.AddSingleton(circuit);
        builder.Services.AddHostedService<Database.DatabaseCircuitProbe>();
        builder.AddOrbytDatabase(
            connectionDefaults: cs => DataExtensions.WithDefaults(cs, ("Timeout", Database.DatabaseCircuit.ConnectTimeoutSeconds), ("Command Timeout", Database.DatabaseCircuit.CommandTimeoutSeconds)),
            configureOptions: options => options
                .AddInterceptors(new Database.DatabaseCircuitInterceptor(circuit))
                .UseNpgsql(npgsql => npgsql.ExecutionStrategy(dependencies => new Database.DatabaseCircuitRetryStrategy(dependencies, circuit))));
        builder.AddOrbytRedis();

        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();
        builder.Services.AddHostedService<BootstrapClientSeeder>();

        builder.Services.AddTokenVault();
        builder.Services.AddPlatformClients();
        builder.Services.AddOptions<OAuthOptions>().BindConfiguration(OAuthOptions.Section)
            .Validate(o => o.Facebook.ConfigId is { Length: > 0 } || PlatformScopes.FacebookRequired.All(o.Facebook.Scopes.Contains),
                $"Orbyt:OAuth:Facebook:Scopes must include {string.Join(", ", PlatformScopes.FacebookRequired)} (or set Orbyt:OAuth:Facebook:ConfigId).")
            .Validate(o => o.Instagram.ConfigId is { Length: > 0 } || PlatformScopes.InstagramRequired.All(o.Instagram.Scopes.Contains),
                $"Orbyt:OAuth:Instagram:Scopes must include {string.Join(", ", PlatformScopes.InstagramRequired)} (or set Orbyt:OAuth:Instagram:ConfigId).")
            .ValidateOnStart();
        builder.Services.AddScoped<OAuthFlow>();
        builder.Services.AddScoped<ConnectionWriter>();
        builder.Services.AddScoped<MetaPageDiscovery>();
        builder.Services.AddMediaAccess();
        builder.Services.AddScoped<Features.Publications.MediaChecks>();
        builder.Services.AddScoped<Features.Publications.PublicationRules>();
        builder.Services.AddOptions<Orbyt.Core.Jobs.ScheduleOptions>().BindConfiguration(Orbyt.Core.Jobs.ScheduleOptions.Section);
        builder.Services.AddScoped<Features.Publications.IdempotencyStore>();
        builder.Services.AddMemoryCache();
        builder.Services.AddOptions<RateLimiting.ApiRateLimitOptions>().BindConfiguration(RateLimiting.ApiRateLimitOptions.Section);
        builder.Services.AddSingleton<RateLimiting.RedisWindowLimiter>();
        builder.Services.AddOptions<ApiKeyCacheOptions>().BindConfiguration(ApiKeyCacheOptions.Section);
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApiKeyCache>());
        builder.Services.AddSingleton<Features.Publications.ConnectionFacts>();
        builder.AddConnectionHealth();
        builder.Services.AddOptions<Features.Publications.PublicationWriteOptions>().BindConfiguration(Features.Publications.PublicationWriteOptions.Section)
            .Validate(o => o.Writers is >= 1 and <= 64 && o.MaxBatch is >= 1 and <= 256, "Orbyt:PublicationWrites needs Writers 1–64 and MaxBatch 1–256.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Features.Publications.PublicationWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Features.Publications.PublicationWriter>());

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnhandledExceptionHandler>();
        builder.AddWebhookManagement();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.UseProblemsForRejectedRequests()));
        builder.Services.AddFastEndpoints();
        builder.Services.AddOrbytOpenApi();
        return builder;
    }

    /// <summary>
    /// Connection health (docs/connections.md): the live checks, the platform budgets they read (never take), the
    /// on-demand refresh path a Google check goes through, and the platforms' clock (Date headers) for YouTube's day.
    /// </summary>
    private static WebApplicationBuilder AddConnectionHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<Features.Connections.Health.ConnectionHealthOptions>().BindConfiguration(Features.Connections.Health.ConnectionHealthOptions.Section)
            .Validate(o => o.CacheTtl > TimeSpan.Zero && o.MinLiveInterval > TimeSpan.Zero && o.LiveChecksPerMinute > 0 && o.ListConcurrency > 0 && o.ChannelCheckTtl > TimeSpan.Zero,
                "Orbyt:ConnectionHealth needs a positive CacheTtl, MinLiveInterval, LiveChecksPerMinute, ListConcurrency and ChannelCheckTtl.")
            .ValidateOnStart();
        builder.Services.AddOptions<Orbyt.Core.RateLimits.PlatformRateLimitOptions>().BindConfiguration(Orbyt.Core.RateLimits.PlatformRateLimitOptions.Section);
        builder.Services.AddSingleton<Orbyt.Core.RateLimits.PlatformClock>();
        builder.Services.AddSingleton<Orbyt.Core.RateLimits.PlatformBudgetReader>();
        builder.Services.AddTransient(sp => new Orbyt.Core.RateLimits.PlatformDateHandler(sp.GetRequiredService<Orbyt.Core.RateLimits.PlatformClock>(), Orbyt.Core.RateLimits.PlatformClock.YouTube));
        builder.Services.AddHttpClient<Orbyt.Core.Platforms.Google.GoogleOAuthClient>().AddHttpMessageHandler<Orbyt.Core.RateLimits.PlatformDateHandler>();
        builder.Services.AddMetrics();
        builder.Services.AddOptions<Orbyt.Core.Credentials.TokenRefreshOptions>().BindConfiguration(Orbyt.Core.Credentials.TokenRefreshOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Orbyt.Core.Credentials.TokenRefreshOptions>, Orbyt.Core.Credentials.TokenRefreshOptionsValidator>();
        builder.Services.AddSingleton<Orbyt.Core.Credentials.CredentialTelemetry>();
        builder.Services.AddScoped<Orbyt.Core.Credentials.CredentialRefresher>();
        builder.Services.AddScoped<Features.Connections.Health.ConnectionHealthCheck>();
        builder.Services.AddScoped<Features.Connections.Health.ConnectionHealthService>();
        return builder;
    }

    public static WebApplication UseOrbytApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(ProblemResults.WriteStatusCodePageAsync);
        app.UseAuthentication();
        app.UseMiddleware<RateLimiting.ClientRateLimitMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<Validation.RequestInputGuard>();
        app.UseFastEndpoints(c =>
        {
            c.Serializer.Options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            c.Serializer.Options.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
            // Every request schema is additionalProperties: false: a property the request type does not have is a 400.
            c.Serializer.Options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // An integer is a JSON number, as documented (the web defaults would also take "12").
            c.Serializer.Options.NumberHandling = JsonNumberHandling.Strict;
            c.Binding.JsonExceptionTransformer = ProblemResults.FromJsonException;
            c.Errors.ResponseBuilder = ProblemResults.FromValidationFailures;
            c.Errors.ContentType = ProblemResults.ContentType;
        });
        app.MapOrbytOpenApi();
        app.MapDefaultEndpoints();
        return app;
    }
}
