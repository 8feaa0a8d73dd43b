using Orbyt.Core.RateLimits;
using Orbyt.Core.Credentials;
using Orbyt.Core.Hosting;
using Orbyt.Core.Media;
using Orbyt.Uploader.Media;
using Orbyt.Core.Platforms;
using Orbyt.Core.Platforms.Meta;
using Orbyt.Core.Webhooks;
using Orbyt.Uploader.Platforms.Meta;
using Orbyt.Uploader.Platforms.YouTube;
using Orbyt.Uploader.Publishing;
using Orbyt.Uploader.RateLimits;
using Orbyt.Uploader.Webhooks;

namespace Orbyt.Uploader;

/// <summary>Everything the Uploader registers: publishing (the job stream, the runner, the recipes) and webhook delivery.</summary>
public static class Extensions
{
    public static WebApplicationBuilder AddUploader(this WebApplicationBuilder builder)
    {
        // Basic defaults: platform upload clients get their own resilience pipelines, not the API's 10 s timeout.
        builder.AddBasicServiceDefaults();
        builder.AddOrbytWorkerCore();
        builder.Services.AddConnectionTokens();
        builder.AddPublishing();
        builder.AddWebhookDispatcher();
        return builder;
    }

    /// <summary>The job stream consumer, the reconciler, the runner and the platform recipes.</summary>
    private static WebApplicationBuilder AddPublishing(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploaderOptions>().BindConfiguration(UploaderOptions.Section)
            .Validate(o => o.MaxLightSteps > 0 && o.PollInterval > TimeSpan.Zero, "Orbyt:Uploader needs MaxLightSteps > 0 and a positive PollInterval.")
            .Validate(o => o.RelayBufferSize >= 64 * 1024 && o.RelayMemoryBudget >= o.RelayBufferSize,
                "Orbyt:Uploader needs RelayBufferSize ≥ 64 KiB and RelayMemoryBudget ≥ RelayBufferSize.")
            .Validate(o => o.IdlePollInterval > TimeSpan.Zero, "Orbyt:Uploader needs a positive IdlePollInterval.")
            .Validate(o => o.LeaseBatch > 0, "Orbyt:Uploader needs LeaseBatch > 0.")
            .Validate(o => o.SchedulerInterval > TimeSpan.Zero && o.PreflightInterval > TimeSpan.Zero && o.PreflightLease > TimeSpan.Zero,
                "Orbyt:Uploader needs a positive SchedulerInterval, PreflightInterval and PreflightLease.")
            .Validate(o => o.StatusPollFirst > TimeSpan.Zero && o.StatusPollMax >= o.StatusPollFirst,
                "Orbyt:Uploader needs a positive StatusPollFirst and a StatusPollMax at least as long.")
            .ValidateOnStart();
        // Steps admitted by kind: many light ones, relays by the shared relay memory (docs/operations.md).
        builder.Services.AddSingleton<RelayBudget>();
        builder.Services.AddSingleton<StepAdmission>();
        builder.Services.AddSingleton<WebhookListeners>();
        builder.Services.AddMediaAccess();
        builder.Services.AddScoped<MediaPreflight>();

        // Platform budgets shared by every replica (Redis), and the platforms' clocks (docs/rate-limits.md).
        builder.Services.AddOptions<PlatformRateLimitOptions>().BindConfiguration(PlatformRateLimitOptions.Section);
        builder.Services.AddSingleton<PlatformClock>();
        builder.Services.AddSingleton<PlatformBudgets>();
        builder.Services.AddTransient<MetaRateLimitHandler>();
        builder.Services.AddTransient(sp => new PlatformDateHandler(sp.GetRequiredService<PlatformClock>(), PlatformClock.YouTube));
        // Meta fetches image_url/file_url while the request is open: give publishing calls a long attempt timeout.
        // Each platform's pool has room for every step a replica admits, each on its own connection (HTTP/1.1).
        builder.Services.AddHttpClient<MetaPublishingClient>().ConfigurePlatformPipeline(TimeSpan.FromMinutes(5))
            .ConfigurePrimaryHttpMessageHandler(PlatformConnections).AddHttpMessageHandler<MetaRateLimitHandler>()
            .AddHttpMessageHandler<MetaAppSecretProofHandler>();
        builder.Services.AddHttpClient<YouTubeDataClient>().ConfigurePlatformPipeline()
            .ConfigurePrimaryHttpMessageHandler(PlatformConnections).AddHttpMessageHandler<PlatformDateHandler>();
        // The upload's PUTs stream for minutes: no attempt timeout and no blind retry (it resumes from the persisted
        // offset itself); 308 Resume Incomplete is not a redirect.
        builder.Services.AddHttpClient<YouTubeResumableUpload>()
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = sp.GetRequiredService<RelayBudget>().Capacity + 16,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            })
            .AddHttpMessageHandler<PlatformDateHandler>();

        builder.Services.AddScoped<JobRunner>();
        builder.Services.AddScoped<JobOutcomeWriter>();
        builder.Services.AddScoped<FirstCommentStep>();
        builder.Services.AddScoped<IPublishRecipe, FacebookRecipe>();
        builder.Services.AddScoped<IPublishRecipe, InstagramRecipe>();
        builder.Services.AddScoped<IPublishRecipe, YouTubeRecipe>();
        builder.Services.AddScoped<YouTubeFollowUps>();
        // Before the consumer: started first, stopped after it, so the steps it stops still get their leases' answers.
        builder.Services.AddSingleton<JobLeases>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobLeases>());
        builder.Services.AddHostedService<JobConsumer>();
        builder.Services.AddHostedService<JobReconciler>();
        // Scheduled publishing: releases due jobs into the stream and runs their pre-flight checks (docs/publishing.md).
        builder.Services.AddScoped<Scheduling.ScheduledJobPreflight>();
        builder.Services.AddHostedService<Scheduling.JobScheduler>();
        return builder;
    }

    /// <summary>
    /// A platform client's connection pool: a connection for every light step and relay the replica admits (more
    /// would only queue at the platform), recycled every few minutes so DNS changes are followed.
    /// </summary>
    private static HttpMessageHandler PlatformConnections(IServiceProvider services)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UploaderOptions>>().Value;
        return new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxLightSteps + services.GetRequiredService<RelayBudget>().Capacity,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            EnableMultipleHttp2Connections = true,
        };
    }

    /// <summary>The webhook dispatcher: fan-out of outbox events and signed, retried delivery (docs/webhooks.md).</summary>
    private static WebApplicationBuilder AddWebhookDispatcher(this WebApplicationBuilder builder)
    {
        builder.AddWebhookCore();
        builder.Services.AddSingleton<WebhookHttpClient>();
        builder.Services.AddSingleton<WebhookFanOut>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
